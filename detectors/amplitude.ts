import type { Detector } from '../src/core/detector.ts';

/**
 * Secret keys: 32 hex next to an Amplitude name. With the (public) API key
 * they export all raw event data and delete users. API keys alone are shipped
 * in apps and not reported.
 */
export const amplitudeSecretKey: Detector = {
  id: 'amplitude-secret-key',
  name: 'Amplitude secret key',
  issuer: 'amplitude',
  keywords: ['amplitude'],
  pattern:
    /\bamplitude[\w. -]{0,20}?secret(?:[ _.-]{0,3}key)?[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'AMPLITUDE_API_KEY=b8edfc6acde2f27a34e3785c4b462935\nAMPLITUDE_SECRET_KEY=42b816c8af0a55bd2a4da954e29a0923',
      'amplitude export job: amplitude_secret: "4a8843e232f4f49692ec7df9d3999ad7"',
    ],
    ignore: [
      // the API key is public
      'amplitude.init("b8edfc6acde2f27a34e3785c4b462935")',
      'AMPLITUDE_SECRET_KEY=<secret key from project settings>',
      'AMPLITUDE_SECRET_KEY=00000000000000000000000000000000',
    ],
  },
};

export const amplitudeDetectors: readonly Detector[] = [amplitudeSecretKey];
