import type { Detector } from '../src/core/detector.ts';

/**
 * NVIDIA API catalog / NIM keys: `nvapi-` + 64 base64url. The model list on
 * integrate.api.nvidia.com answers without a key, so it proves nothing: no liveness check.
 */
export const nvidiaApiKey: Detector = {
  id: 'nvidia-api-key',
  name: 'NVIDIA API key',
  issuer: 'nvidia',
  keywords: ['nvapi-'],
  pattern: /(?<![\w-])(?<secret>nvapi-[A-Za-z0-9_-]{64})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'NVIDIA_API_KEY=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',
      'NGC login used 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 yesterday',
    ],
    ignore: [
      'NVIDIA_API_KEY=nvapi-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'NVIDIA_API_KEY=nvapi-...',
      'nvapi-1XaIRpwXpnq6OxFysxOmY9wQj5ULAVDPFGPiW',
    ],
  },
};

export const nvidiaDetectors: readonly Detector[] = [nvidiaApiKey];
