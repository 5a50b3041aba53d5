import type { Detector } from '../src/core/detector.ts';

/**
 * Server-to-Server OAuth / OAuth app client secrets: 32 alphanumerics next to
 * a Zoom name. With the client id and account id they mint account-wide
 * tokens (meetings, recordings, users). No liveness check: the only test is a
 * token exchange.
 */
export const zoomClientSecret: Detector = {
  id: 'zoom-client-secret',
  name: 'Zoom OAuth client secret',
  issuer: 'zoom',
  keywords: ['zoom'],
  pattern:
    /\bzoom[\w. -]{0,20}?(?:client|api|sdk|app)[ _.-]{0,3}secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'ZOOM_ACCOUNT_ID=Xk2pQ8rT4vZ9wB3nM6yL1a ZOOM_CLIENT_ID=Hs7dK2mP9qR4tW8xZ3vB6n ZOOM_CLIENT_SECRET=HBdTeR2V2OMzDKy6OgtUaH7jaElAmEfW',
      'zoom app credentials -> zoom_sdk_secret: wvv8kk98pV5ljvJEIEFEFY11lsbWrGuT',
    ],
    ignore: [
      'ZOOM_CLIENT_SECRET=<client secret from the marketplace>',
      'ZOOM_CLIENT_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'zoom client secret rotation is tracked in SEC-1234',
    ],
  },
};

export const zoomDetectors: readonly Detector[] = [zoomClientSecret];
