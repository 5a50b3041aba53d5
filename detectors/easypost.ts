import type { Detector } from '../src/core/detector.ts';

/** EasyPost production API keys: `EZAK` + 54 (test keys are `EZTK…`). Buys postage on the account's card. */
export const easypostProductionKey: Detector = {
  id: 'easypost-production-key',
  name: 'EasyPost production API key',
  issuer: 'easypost',
  keywords: ['EZAK'],
  pattern: /(?<![\w-])(?<secret>EZAK[A-Za-z0-9]{54})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'EASYPOST_API_KEY=EZAK0qkDbVO5wflxDEfFXjSf38oFfenAyQiBTuUkW3c9AhvFDe9jEPFqUy',
      'shipping labels are bought with EZAKeVFK0tGarIFSpY5bMcVDV7ekUMAMLppS3ldLrH4UZJbWxbTzqV4DZK, not the test key',
    ],
    ignore: [
      'EASYPOST_API_KEY=EZTK0qkDbVO5wflxDEfFXjSf38oFfenAyQiBTuUkW3c9AhvFDe9jEPFqUy',
      'EASYPOST_API_KEY=EZAKXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'EZAK0qkDbVO5wflxDEfFXjSf38oFfenAyQiBTuUk',
    ],
  },
};

export const easypostDetectors: readonly Detector[] = [easypostProductionKey];
