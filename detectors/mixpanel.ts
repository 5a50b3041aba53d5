import type { Detector } from '../src/core/detector.ts';

/**
 * Project API secrets (32 hex) and service account secrets (32 alphanumerics)
 * next to a Mixpanel name: they export raw events and user profiles. Project
 * tokens are public (shipped in every page) and not reported.
 */
export const mixpanelApiSecret: Detector = {
  id: 'mixpanel-api-secret',
  name: 'Mixpanel API / service account secret',
  issuer: 'mixpanel',
  keywords: ['mixpanel'],
  pattern: /\bmixpanel[\w. -]{0,20}?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/i.test(secret),
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'MIXPANEL_API_SECRET=4a8843e232f4f49692ec7df9d3999ad7 python export_events.py --from 2024-01-01',
      'mixpanel service account secret: nDLxvqHEuCFVaLIleki1CP3dVYkotnLi (user etl-bot.7f3e2a.mp-service-account)',
    ],
    ignore: [
      // project token: public
      'mixpanel.init("b8edfc6acde2f27a34e3785c4b462935", { track_pageview: true })',
      'MIXPANEL_API_SECRET=<project-secret>',
      'MIXPANEL_API_SECRET=00000000000000000000000000000000',
    ],
  },
};

export const mixpanelDetectors: readonly Detector[] = [mixpanelApiSecret];
