import type { Detector } from '../src/core/detector.ts';

/**
 * Confluent Cloud API key (16 uppercase alphanumerics) + secret (64 base64 characters), in env
 * files or in Kafka client configs (`PlainLoginModule required username=… password=…`). Cluster
 * keys and Cloud keys cannot be told apart offline and authenticate against different hosts,
 * so no liveness check is attempted.
 */
export const confluentApiKey: Detector = {
  id: 'confluent-api-key',
  name: 'Confluent Cloud API key and secret',
  issuer: 'confluent',
  keywords: ['confluent', 'PlainLoginModule'],
  pattern: new RegExp(
    `(?:confluent(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:cloud|kafka|api|cluster)[_.\\s-]{0,2}){0,3}secrets?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?|PlainLoginModule\\s{1,3}required\\s{1,3}username\\s{0,2}=\\s{0,2}\\\\?["'][A-Z0-9]{16}\\\\?["']\\s{1,3}password\\s{0,2}=\\s{0,2}\\\\?["'])(?<secret>[A-Za-z0-9+/]{64})(?![A-Za-z0-9+/=])`,
    'i',
  ),
  entropy: 4.5,
  companions: [
    { name: 'api key', pattern: /(?<![A-Za-z0-9])(?<secret>[A-Z0-9]{16})(?![A-Za-z0-9])/, window: 300, entropy: 3 },
  ],
  severity: 'critical',
  examples: {
    match: [
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="MAAJRKBWCIUB4TEW" password="DjCas14vBomsAmjXuQJYita+EHHjIR8nbU/r9sNaeeCkyInwYQi51TuNRv1PSccD";\nbootstrap.servers=pkc-4r087.eu-west-1.aws.confluent.cloud:9092',
      'CONFLUENT_CLOUD_API_KEY=QSTUZKGWWAW21PCG\nCONFLUENT_CLOUD_API_SECRET=Rt/gFIc5EYgwMlK+2o9CkQ1dN24gYdamrI17PMM4mJp0Hj0ll6mQJdObbJIFEul7',
    ],
    ignore: [
      'CONFLUENT_CLOUD_API_KEY=QSTUZKGWWAW21PCG\nCONFLUENT_CLOUD_API_SECRET=${CONFLUENT_SECRET}',
      'PlainLoginModule required username="$ConnectionString" password="Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=y";',
      // a secret without its API key
      'CONFLUENT_CLOUD_API_SECRET=Rt/gFIc5EYgwMlK+2o9CkQ1dN24gYdamrI17PMM4mJp0Hj0ll6mQJdObbJIFEul7',
    ],
  },
};

export const confluentDetectors: readonly Detector[] = [confluentApiKey];
