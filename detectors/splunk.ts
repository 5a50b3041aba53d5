import type { Detector } from '../src/core/detector.ts';

/**
 * HTTP Event Collector tokens: a GUID, sent as `Authorization: Splunk <token>`.
 * GUIDs are everywhere, so only after a Splunk/HEC name or that header. The
 * HEC endpoint is per deployment: no liveness check (and any accepted request
 * would index an event).
 */
export const splunkHecToken: Detector = {
  id: 'splunk-hec-token',
  name: 'Splunk HTTP Event Collector token',
  issuer: 'splunk',
  keywords: ['splunk'],
  pattern:
    /(?:\bSplunk\s{1,3}|\bsplunk[\w. -]{0,20}?(?:hec|token|collector)[\s"'`]{0,3}[=:][\s"'`]{0,3})(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'curl -k https://splunk.corp.internal:8088/services/collector/event -H "Authorization: Splunk 2a8612ed-c894-469e-8e3a-8096ccb69284" -d \'{"event": "hello"}\'',
      'fluent-bit output:\n  splunk_token: 7530e5c6-3a02-4b1b-8f3a-63a053d3db10\n  splunk_send_raw: on',
    ],
    ignore: [
      'Authorization: Splunk 00000000-0000-0000-0000-000000000000',
      // a search job id, not a token
      'splunk job 5ceb039e-e665-4f28-8f66-81131c43411f finished in 3s',
      'SPLUNK_HEC_TOKEN=${SPLUNK_HEC_TOKEN}',
    ],
  },
};

/**
 * Splunk Observability Cloud (SignalFx) access tokens: 22 base64url
 * characters in `X-SF-Token` or next to a SignalFx/Observability name. Ingest
 * tokens send metrics and traces; API tokens read and change the org.
 */
export const splunkObservabilityToken: Detector = {
  id: 'splunk-observability-token',
  name: 'Splunk Observability Cloud (SignalFx) access token',
  issuer: 'splunk',
  keywords: ['x-sf-token', 'signalfx', 'sfx_', 'splunk'],
  pattern:
    /(?:\bx-sf-token|\bsignalfx[\w. -]{0,20}?(?:token|key)|\bsfx[_-](?:access[_-])?token|\bsplunk[_ -](?:o11y|observability)[\w. -]{0,20}?(?:token|key))[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  severity: 'medium',
  examples: {
    match: [
      'otel collector env: SPLUNK_ACCESS_TOKEN is unset, fallback SFX_ACCESS_TOKEN=M6t-KCJiVBWe20nHGz4HV7 SPLUNK_REALM=us1',
      'curl -X POST "https://ingest.us1.signalfx.com/v2/datapoint" -H "X-SF-Token: BGrXLXbbML0hZb13_bf0Yo" -d @points.json',
    ],
    ignore: [
      'X-SF-Token: <your-org-access-token>',
      'X-SF-Token: xxxxxxxxxxxxxxxxxxxxxx',
      // all lowercase: a realm or service name, not a token
      'signalfx token realm: us1-production-cluster',
    ],
  },
};

export const splunkDetectors: readonly Detector[] = [splunkHecToken, splunkObservabilityToken];
