import type { Detector } from '../src/core/detector.ts';

/** Yandex Cloud service-account API keys: `AQVN` + 35–38 `[\w-]`, sent as `Api-Key <key>`. Not verified. */
export const yandexCloudApiKey: Detector = {
  id: 'yandex-cloud-api-key',
  name: 'Yandex Cloud API key',
  issuer: 'yandex',
  keywords: ['AQVN'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AQVN[A-Za-z0-9_-]{35,38})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  severity: 'high',
  examples: {
    match: [
      'YC_API_KEY=AQVN1wuY-qkt61o6PeBg5YHThJfHFRZCRg4HW_Rm',
      'curl -H "Authorization: Api-Key AQVNd0hikuTRGmK8uk2pc2D24lGEOJul-qoUBiQJ" https://llm.api.cloud.yandex.net/foundationModels/v1/completion',
    ],
    ignore: [
      'Authorization: Api-Key <AQVN...>',
      'YC_API_KEY=AQVNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'YC_API_KEY=AQVN1wuY-qkt61o6Pe',
    ],
  },
};

export const yandexDetectors: readonly Detector[] = [yandexCloudApiKey];
