import type { Detector } from '../src/core/detector.ts';

/**
 * User tokens: `ATTA` + 64 hex + 8-character suffix. Used with the (public) API
 * key of the app that requested them; act as the user on every board. No
 * liveness check: the request needs that API key too.
 */
export const trelloApiToken: Detector = {
  id: 'trello-api-token',
  name: 'Trello API token',
  issuer: 'trello',
  keywords: ['ATTA'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ATTA[A-Za-z0-9]{72})(?![A-Za-z0-9_])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/i.test(secret.slice(4)),
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'TRELLO_KEY=9b493736c457a10a1286272898fe17f1\nTRELLO_TOKEN=ATTA5a0854492afe2457cf4d5b11adcc5de33e6a559dcc3885532ae279187268ba8aF16EB365',
      'curl "https://api.trello.com/1/members/me/boards?key=9b493736c457a10a1286272898fe17f1&token=ATTA94fc7868ee2bcae9c0ea357332d741b4156b30b60684640469907680d2a8165eD5B505A6"',
    ],
    ignore: [
      'TRELLO_TOKEN=ATTAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ATTACHMENT_STORAGE_BUCKET=prod-attachments',
      'TRELLO_TOKEN=ATTA5a0854492afe2457cf4d5b11adcc5de33e6a',
    ],
  },
};

export const trelloDetectors: readonly Detector[] = [trelloApiToken];
