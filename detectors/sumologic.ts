import type { Detector } from '../src/core/detector.ts';

/**
 * Access keys: access id (`su` + 12 alphanumerics) + 64-char access key, used
 * as Basic credentials. The key is only usable with its id, so the id must be
 * nearby. No liveness check: the API host depends on the deployment (us1, us2,
 * eu, de, au, ca, jp, in, kr, fed) and is not in the key.
 */
export const sumologicAccessKey: Detector = {
  id: 'sumologic-access-key',
  name: 'Sumo Logic access key',
  issuer: 'sumologic',
  keywords: ['sumo'],
  pattern:
    /\bsumo[\w. -]{0,20}?(?:key|secret|token)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{64})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  companions: [
    {
      name: 'access id',
      pattern: /(?<![A-Za-z0-9])(?<secret>su(?=[A-Za-z0-9]{0,11}\d)[A-Za-z0-9]{12})(?![A-Za-z0-9])/,
      window: 300,
      // `su` + 12 also spells words like `subscriptionId`: require a digit and some randomness.
      entropy: 3,
    },
  ],
  severity: 'high',
  examples: {
    match: [
      'SUMO_ACCESS_ID=suYbYoTJBI8HuC\nSUMO_ACCESS_KEY=Mn4jMIyfEA3AKupX3It6g19jX94J9EKFRE2JrmhgHL1TbEUMf7Sl2NHuIIeQNCKJ',
      '# terraform.tfvars\nsumologic_access_id  = "supq4HTxRrWk4d"\nsumologic_access_key = "NvEEGBujC16y051WWwED4alUvUVJQoi1KFTsqcdHzHh1ABjsv5eIcSUYeULHMtFO"\nsumologic_environment = "us2"',
    ],
    ignore: [
      // the key without its access id is not usable
      'SUMO_ACCESS_KEY=Mn4jMIyfEA3AKupX3It6g19jX94J9EKFRE2JrmhgHL1TbEUMf7Sl2NHuIIeQNCKJ',
      'SUMO_ACCESS_ID=suYbYoTJBI8HuC SUMO_ACCESS_KEY=${SUMO_KEY}',
      'SUMO_ACCESS_ID=suYbYoTJBI8HuC SUMO_ACCESS_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const sumologicDetectors: readonly Detector[] = [sumologicAccessKey];
