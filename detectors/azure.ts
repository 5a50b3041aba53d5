import type { Detector } from '../src/core/detector.ts';

/*
 * Microsoft Azure keys. Many Azure services now issue "identifiable" keys: a
 * 4-character provider signature sits at a fixed offset of the base64 text and
 * the last 4 bytes are a Marvin32 checksum of the bytes before them, seeded per
 * key kind. Source: github.com/microsoft/security-utilities
 * (IdentifiableSecrets.cs, IdentifiableMetadata.cs, Azure32/64ByteIdentifiableKeys.cs).
 * The signature alone is already specific; the checksum raises confidence to 1.
 *
 * Connection-string detectors skip identifiable keys (the identifiable-key
 * detector reports them), so one leaked key yields one finding.
 */

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/**
 * Marvin32 (the .NET string-hash algorithm) collapsed to 32 bits, as used by
 * Microsoft's identifiable-secret checksums.
 *
 * @example marvin32(Buffer.from('abc'), 0x4161645077643030n)
 */
export function marvin32(data: Uint8Array, seed: bigint): number {
  let p0 = Number(seed & 0xffffffffn);
  let p1 = Number((seed >> 32n) & 0xffffffffn);
  const mix = (word: number): void => {
    p0 = (p0 + word) >>> 0;
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  let i = 0;
  for (; i + 4 <= data.length; i += 4) {
    mix((data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0);
  }
  // The tail (0–3 bytes) is followed by a 0x80 marker byte, little-endian, then one empty round.
  let last = 0x80 * 2 ** (8 * (data.length - i));
  for (let k = 0; i + k < data.length; k++) last += data[i + k]! * 2 ** (8 * k);
  mix(last >>> 0);
  mix(0);
  return (p0 ^ p1) >>> 0;
}

/** Checksum seeds (8-character ASCII names read big-endian) per identifiable key kind. */
export const AZURE_SEEDS = {
  storage: [0x44656661756c7430n], // Default0
  cosmos: [
    0x537973416c6c3030n,
    0x5265736f75723030n,
    0x4d617374524f3030n,
    0x53797374524f3030n,
    0x456e637279703030n,
    0x4d61737452573030n,
    0x5379737452573030n,
  ],
  messaging: [0x53656e6430303030n, 0x4c697374656e3030n, 0x4d616e6167653030n, 0x53797374656d3030n, 0x556e6b6e6f776e30n],
  iot: [0x496f544875623030n, 0x4470734b65793030n, 0x4465766963653030n],
  functions: [0x46756e6374693030n, 0x4d61737465723030n, 0x53797374656d3030n],
  search: [0x5175657279303030n, 0x5041646d696e3030n],
  containerRegistry: [0x41435244666c7430n],
  apim: [0x54656e616e743030n, 0x496f544875623030n, 0x4761746577793030n, 0x4769744b65793030n],
  redis: [0x4163636573733030n],
} as const satisfies Record<string, readonly bigint[]>;

function base64Bytes(key: string): Buffer {
  const std = key.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return Buffer.from(std + '='.repeat((4 - (std.length % 4)) % 4), 'base64');
}

/** True when the last 4 bytes of the decoded key are the Marvin32 checksum of the rest under one of `seeds`. */
export function hasIdentifiableChecksum(key: string, seeds: readonly bigint[]): boolean {
  const bytes = base64Bytes(key);
  if (bytes.length < 8) return false;
  const expected = bytes.readUInt32LE(bytes.length - 4);
  const body = bytes.subarray(0, bytes.length - 4);
  return seeds.some((seed) => marvin32(body, seed) === expected);
}

/** 1 with a valid checksum, 0.7 without: the signature at its fixed offset is specific on its own. */
const identifiableScore =
  (seeds: readonly bigint[]) =>
  (secret: string): number =>
    hasIdentifiableChecksum(secret, seeds) ? 1 : 0.7;

/** Legacy CASK (84 chars): 3 bytes of Marvin32(first 60 bytes, "Default0") end the key. */
export function hasCaskChecksum(key: string): boolean {
  if (key.length !== 84) return false;
  const bytes = Buffer.alloc(64);
  base64Bytes(key).copy(bytes);
  const sum = marvin32(bytes.subarray(0, 60), AZURE_SEEDS.storage[0]);
  return bytes[60] === (sum & 0xff) && bytes[61] === ((sum >>> 8) & 0xff) && bytes[62] === ((sum >>> 16) & 0xff);
}

const ENTRA_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';

/**
 * Entra ID client secrets with the `8Q~` marker end with the first 3 characters
 * of Marvin32(the rest, "AadPwd00") written in a 66-character alphabet. `7Q~`
 * (and older) secrets carry no checksum.
 */
export function entraClientSecretScore(secret: string): number {
  const marker = secret.slice(3, 6);
  if (marker !== '8Q~') return /^[0-7]Q~$/.test(marker) ? 1 : 0;
  if (secret.length !== 40) return 0;
  let sum = marvin32(Buffer.from(secret.slice(0, -3), 'latin1'), 0x4161645077643030n);
  let encoded = '';
  while (sum > 0) {
    encoded = ENTRA_ALPHABET[sum % 66] + encoded;
    sum = Math.floor(sum / 66);
  }
  return encoded.slice(0, 3) === secret.slice(-3) ? 1 : 0;
}

/** 44-char (32-byte) identifiable keys carry their signature at offset 33. */
const isIdentifiable44 = (key: string): boolean => /^(?:\+ASb|\+AEh|\+ARm|AIoT|AzCa)$/.test(key.slice(33, 37));
/** 88-char (64-byte) identifiable keys carry their signature at offset 76. */
const isIdentifiable88 = (key: string): boolean => /^(?:\+ASt|ACDb|APIM|\+ABa|\+AMC)$/.test(key.slice(76, 80));

const KEY88 = '[A-Za-z0-9+/]{86}==';
const KEY44 = '[A-Za-z0-9+/]{43}=';

export const azureStorageConnectionString: Detector = {
  id: 'azure-storage-connection-string',
  name: 'Azure Storage connection string',
  issuer: 'azure',
  keywords: ['AccountKey='],
  pattern: new RegExp(`AccountName=[a-z0-9]{3,24};\\s{0,2}AccountKey=(?<secret>${KEY88})(?![A-Za-z0-9+/=])`),
  validate: (secret) => !isIdentifiable88(secret),
  entropy: 4.5,
  severity: 'critical',
  examples: {
    match: [
      'AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=stprodreports01;AccountKey=el7Lzc+SYoWTVs6Ct8aqImOyBsJTawd9UfvTTcU53nzkSceEdkdbBy4jfmdVxKbUAO+wEEcZ3VQ14seK0d6gwQ==;EndpointSuffix=core.windows.net"',
      'the function app fails to start, here is the setting: AzureWebJobsStorage = DefaultEndpointsProtocol=https;AccountName=funcstorage7731; AccountKey=mbZSi2WOFpS3LEseNkN3ls/y1BSw6xqxzK6WVMXV6PNoNonBPgkljMgNYQAgzB7QQYWsd/HsLzNi0D17yLXZZw==',
    ],
    ignore: [
      'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<your-account-key>;EndpointSuffix=core.windows.net',
      'UseDevelopmentStorage=true',
      // truncated key
      'DefaultEndpointsProtocol=https;AccountName=stprodreports01;AccountKey=el7Lzc+SYoWTVs6Ct8aqImOyBsJTawd9UfvTTcU53nzk==',
      // Cosmos DB uses AccountEndpoint, not AccountName
      'AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=F8Y7y6TkZVdDpCRjbz4yg6kKflyTXhWuVWFxkyofMbwQT5l9xKLl4NyZ0e7axt1xPlpPPgEIDeLRO+9f+WOslw==;',
    ],
  },
};

export const azureStorageAccountKey: Detector = {
  id: 'azure-storage-account-key',
  name: 'Azure Storage account key',
  issuer: 'azure',
  keywords: ['storage_', 'storage-', 'storagekey', 'storageaccount', 'account_key', 'account-key'],
  // `account` needs a separator so that `AccountKey=` inside connection strings stays with that detector.
  pattern: new RegExp(
    `(?:storage[_-]?(?:account[_-]?)?(?:access[_-]?)?key|account[_-](?:access[_-])?key)[\\w-]{0,8}["']?(?:\\s{0,3}[:=]|\\s)\\s{0,3}["']?(?<secret>${KEY88})(?![A-Za-z0-9+/=])`,
    'i',
  ),
  validate: (secret) => !isIdentifiable88(secret),
  entropy: 4.5,
  severity: 'critical',
  examples: {
    match: [
      'az storage blob upload-batch -d backups -s ./out --account-name stbackup02 --account-key F8Y7y6TkZVdDpCRjbz4yg6kKflyTXhWuVWFxkyofMbwQT5l9xKLl4NyZ0e7axt1xPlpPPgEIDeLRO+9f+WOslw==',
      'terraform.tfvars:\nstorage_account_access_key = "el7Lzc+SYoWTVs6Ct8aqImOyBsJTawd9UfvTTcU53nzkSceEdkdbBy4jfmdVxKbUAO+wEEcZ3VQ14seK0d6gwQ=="',
    ],
    ignore: [
      'AZURE_STORAGE_KEY=${{ secrets.AZURE_STORAGE_KEY }}',
      'storage_account_key = "<storage-account-key>"',
      // 64 hex chars (a SHA-256) is not a storage key
      'storage_key_sha256 = 4f9c2a1be0d37e65f18a2c9b7d04e3f1a6b58c274f9c2a1be0d37e65f18a2c9b',
      // connection strings are the other detector's
      'DefaultEndpointsProtocol=https;AccountName=stprodreports01;AccountKey=el7Lzc+SYoWTVs6Ct8aqImOyBsJTawd9UfvTTcU53nzkSceEdkdbBy4jfmdVxKbUAO+wEEcZ3VQ14seK0d6gwQ==',
    ],
  },
};

export const azureStorageIdentifiableKey: Detector = {
  id: 'azure-storage-identifiable-key',
  name: 'Azure Storage account key (identifiable)',
  issuer: 'azure',
  keywords: ['+ASt'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{76}\+ASt[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])/,
  window: { before: 90, after: 16 },
  validate: identifiableScore(AZURE_SEEDS.storage),
  severity: 'critical',
  examples: {
    match: [
      'DefaultEndpointsProtocol=https;AccountName=stlogs;AccountKey=P1IGwTrk5yu3bAXxkGqA5D8Ec+haznQMn6xtsaVXfjgirX9nt7BifuJz1lwHIfKHsRxn0p9XOn9W+ASt7vEq6g==;EndpointSuffix=core.windows.net',
      'key1 from the portal: 5o+GJPBPSKhmxMgTK/+V6niaWRSKdwlr8TI8wF1Eto21dsFMGbk7rlcnr2oSYY6NgbbKBNtJ8Bub+AStLKDaGA== (rotate after the migration)',
    ],
    ignore: [
      'the identifiable storage keys contain +ASt at offset 76',
      // too short
      'P1IGwTrk5yu3bAXxkGqA5D8Ec+haznQMn6xtsaVXfjgirX9nt7BifuJz1lwHIfKHsRxn0p9XOn9W+ASt7vEq6g=',
      // part of a longer base64 blob
      'MIIDdzCCAl+gAwIBAgIEP1IGwTrk5yu3bAXxkGqA5D8Ec+haznQMn6xtsaVXfjgirX9nt7BifuJz1lwHIfKHsRxn0p9XOn9W+ASt7vEq6g==',
    ],
  },
};

export const azureSasToken: Detector = {
  id: 'azure-sas-token',
  name: 'Azure Storage shared access signature (SAS)',
  issuer: 'azure',
  keywords: ['sig='],
  pattern:
    /(?<![\w%&])(?<secret>(?:[a-z]{2,5}=[\w%:.+/-]{1,80}&){2,12}sig=[A-Za-z0-9%+/]{40,64}={0,2}(?:&[a-z]{2,5}=[\w%:.+/-]{1,80}){0,12})/,
  window: { before: 700, after: 400 },
  validate: (secret) => {
    const params = new Set(secret.split('&').map((p) => p.slice(0, p.indexOf('='))));
    // Every storage SAS names its version and expiry; service-bus style tokens (sr/se/skn) do not use sv.
    return (
      params.has('sig') && params.has('se') && params.has('sv') && /(?:^|&)sv=\d{4}-\d{2}-\d{2}(?:&|$)/.test(secret)
    );
  },
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'download it from https://stshareddocs.blob.core.windows.net/exports/q3-report.xlsx?sp=r&st=2025-05-02T08:15:11Z&se=2026-05-02T16:15:11Z&spr=https&sv=2024-11-04&sr=b&sig=kXq3M7fP2w9ZrT5vB8nLc1Jd4Hs6Ga0Ye%2FtUi7Ro9Ek%3D',
      'BlobEndpoint=https://stmedia.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-01-31T22:04:49Z&st=2025-01-31T14:04:49Z&spr=https&sig=Qkcubd3Txdu8k5fVJYPGkTS9MTEU%2FAp7rLwN4sHq2yE%3D',
    ],
    ignore: [
      'https://stshareddocs.blob.core.windows.net/exports/q3-report.xlsx?sp=r&se=2026-05-02T16:15:11Z&sv=2024-11-04&sr=b&sig=<signature>',
      // no expiry or version: not a storage SAS
      'SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net&sig=kXq3M7fP2w9ZrT5vB8nLc1Jd4Hs6Ga0Ye%2FtUi7Ro9Ek%3D&skn=send',
      'the SAS parameters are sv, ss, srt, sp, se, st, spr and sig=…',
    ],
  },
};

export const azureEntraClientSecret: Detector = {
  id: 'azure-entra-client-secret',
  name: 'Microsoft Entra ID (Azure AD) client secret',
  issuer: 'azure',
  keywords: ['Q~'],
  pattern: /(?<![\w~.-])(?<secret>[\w~.-]{3}\dQ~[\w~.-]{31,34})(?![\w~.-])/,
  window: { before: 16, after: 48 },
  validate: (secret) => entraClientSecretScore(secret),
  entropy: 3.5,
  severity: 'critical',
  examples: {
    match: [
      'AZURE_CLIENT_ID=2f1c8a4e-93b7-4d2a-b6e1-7c0f5a9d3e21\nAZURE_CLIENT_SECRET=dC78Q~WuAGp6GYKhr94G2rmZawAAvWfi.EYu-cWK',
      'sp for the pipeline: appId 5b2e… secret "ETC8Q~RwnFQigdaLCYl7jW7aU7rubJpA6pY_ybWA" expires in 6 months',
    ],
    ignore: [
      // 8Q~ secrets carry a checksum; this one is broken
      'AZURE_CLIENT_SECRET=dC78Q~WuAGp6GYKhr94G2rmZawAAvWfi.EYu-cXX',
      'AZURE_CLIENT_SECRET=xxx8Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'the secret looks like abc8Q~ followed by 34 characters',
    ],
  },
};

export const azureCosmosDbConnectionString: Detector = {
  id: 'azure-cosmosdb-connection-string',
  name: 'Azure Cosmos DB connection string',
  issuer: 'azure',
  keywords: ['AccountKey='],
  pattern: new RegExp(
    `AccountEndpoint=https://[a-z0-9-]{3,50}\\.documents\\.azure\\.com(?::443)?/?;\\s{0,2}AccountKey=(?<secret>${KEY88})(?![A-Za-z0-9+/=])`,
  ),
  window: { before: 120 },
  validate: (secret) => !isIdentifiable88(secret),
  entropy: 4.5,
  severity: 'critical',
  examples: {
    match: [
      'COSMOS_CONNECTION=AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=F8Y7y6TkZVdDpCRjbz4yg6kKflyTXhWuVWFxkyofMbwQT5l9xKLl4NyZ0e7axt1xPlpPPgEIDeLRO+9f+WOslw==;',
      '"CosmosDb": "AccountEndpoint=https://catalog-prod-weu.documents.azure.com:443/;AccountKey=mbZSi2WOFpS3LEseNkN3ls/y1BSw6xqxzK6WVMXV6PNoNonBPgkljMgNYQAgzB7QQYWsd/HsLzNi0D17yLXZZw=="',
    ],
    ignore: [
      // the public Cosmos DB emulator key
      'AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
      'AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=${COSMOS_KEY};',
      'AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=F8Y7y6TkZVdDpCRjbz4yg6kKflyTXhWuVWFxky==',
    ],
  },
};

export const azureCosmosDbIdentifiableKey: Detector = {
  id: 'azure-cosmosdb-identifiable-key',
  name: 'Azure Cosmos DB key (identifiable)',
  issuer: 'azure',
  keywords: ['ACDb'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{76}ACDb[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])/,
  window: { before: 90, after: 16 },
  validate: identifiableScore(AZURE_SEEDS.cosmos),
  severity: 'critical',
  examples: {
    match: [
      'AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=in+mYxAH18MWj2HHZKUOMokF7UgCXEmFOY8gL7ucTOOTr7WN619AbpGh7ToNJ6k6ERr6nI7wMuH+ACDb3z+E2A==;',
      'primary key: 9911K/aFx8eVwSvsFDgoI4FTzw2E1h7xOsTIkiC0x8ffqY2Xmf+xCJAf5yDtrVMcTH498O+vrAuAACDbfqkr4Q==',
    ],
    ignore: [
      'Cosmos keys now end with ACDb plus a checksum',
      'in+mYxAH18MWj2HHZKUOMokF7UgCXEmFOY8gL7ucTOOTr7WN619AbpGh7ToNJ6k6ERr6nI7wMuH+ACDb3z+E2A=',
      'AccountKey=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXACDbXXXXXA==',
    ],
  },
};

const SERVICE_BUS_CS = `Endpoint=sb://[a-z0-9-]{6,50}\\.servicebus\\.windows\\.net/?;\\s{0,2}SharedAccessKeyName=[^;\\s"']{1,64};\\s{0,2}SharedAccessKey=(?<secret>${KEY44})(?![A-Za-z0-9+/=])`;

export const azureServiceBusConnectionString: Detector = {
  id: 'azure-service-bus-connection-string',
  name: 'Azure Service Bus / Event Hubs connection string',
  issuer: 'azure',
  keywords: ['SharedAccessKey='],
  pattern: new RegExp(SERVICE_BUS_CS),
  window: { before: 200 },
  validate: (secret) => !isIdentifiable44(secret),
  entropy: 4.2,
  severity: 'high',
  examples: {
    match: [
      'ServiceBusConnection: "Endpoint=sb://sb-orders-prod.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=/zseBNxrBJCOtJMtdNayqSAdkNbsXetefhczpPPUOL0="',
      'event hub for telemetry: Endpoint=sb://evhns-telemetry.servicebus.windows.net/;SharedAccessKeyName=send-only;SharedAccessKey=AiEwf6dLoPZ/R9WxmwgUoekn544tcKvf7w2g/KGy0Os=;EntityPath=device-events',
    ],
    ignore: [
      'Endpoint=sb://sb-orders-prod.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>',
      'Endpoint=sb://sb-orders-prod.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=/zseBNxrBJCOtJMtdNayq=',
      // identifiable keys are reported by the identifiable-key detector
      'Endpoint=sb://sb-orders-prod.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=Fxbzopd0vNf8/bSSY7/KzoZPdKRhM7QWd+ASbDgcJN8=',
    ],
  },
};

export const azureServiceBusIdentifiableKey: Detector = {
  id: 'azure-service-bus-identifiable-key',
  name: 'Azure Service Bus key (identifiable)',
  issuer: 'azure',
  keywords: ['+ASb'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{33}\+ASb[A-P][A-Za-z0-9+/]{5}=)(?![A-Za-z0-9+/=])/,
  window: { before: 40, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.messaging),
  severity: 'high',
  examples: {
    match: [
      'Endpoint=sb://sb-orders-prod.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=Fxbzopd0vNf8/bSSY7/KzoZPdKRhM7QWd+ASbDgcJN8=',
      'primaryKey 6UkbrKMtJ2qQORFM6OtJoGnBZsJKD85Ns+ASbBhJMJY=',
    ],
    ignore: [
      'service bus keys have +ASb inside',
      'Fxbzopd0vNf8/bSSY7/KzoZPdKRhM7QWd+ASbDgc=',
      'SharedAccessKey=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX+ASbAXXXXX=',
    ],
  },
};

export const azureEventHubsIdentifiableKey: Detector = {
  id: 'azure-event-hubs-identifiable-key',
  name: 'Azure Event Hubs key (identifiable)',
  issuer: 'azure',
  keywords: ['+AEh'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{33}\+AEh[A-P][A-Za-z0-9+/]{5}=)(?![A-Za-z0-9+/=])/,
  window: { before: 40, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.messaging),
  severity: 'high',
  examples: {
    match: [
      'Endpoint=sb://evhns-telemetry.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=oyJ0Hnz/V3Aa3368WAEe5q+o1EjxQ27VK+AEhLIXxOs=;EntityPath=clicks',
      'EVENTHUB_KEY=fd9DnymRneE7X3ctHNNXW9sldA8Bs4duP+AEhGDZxpE=',
    ],
    ignore: ['event hubs keys contain +AEh', 'oyJ0Hnz/V3Aa3368WAEe5q+AEhLIXxOs=', 'EVENTHUB_KEY=<+AEh key>'],
  },
};

export const azureRelayIdentifiableKey: Detector = {
  id: 'azure-relay-identifiable-key',
  name: 'Azure Relay key (identifiable)',
  issuer: 'azure',
  keywords: ['+ARm'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{33}\+ARm[A-P][A-Za-z0-9+/]{5}=)(?![A-Za-z0-9+/=])/,
  window: { before: 40, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.messaging),
  severity: 'high',
  examples: {
    match: [
      'Endpoint=sb://relay-hybrid.servicebus.windows.net/;SharedAccessKeyName=listener;SharedAccessKey=CzGH1QPIDLGBJ9ZQGtJBg1oKNq0q9rk7o+ARmJi9LvE=',
      'relay key tTlJs4aI/x99gsBO6o6yE0/uadVtuUONd+ARmLQubKw=',
    ],
    ignore: ['relay keys contain +ARm', 'CzGH1QPIDLGBJ9ZQGtJBg1o+ARmJi9LvE=', 'RELAY_KEY=${RELAY_KEY}+ARm'],
  },
};

export const azureIotHubConnectionString: Detector = {
  id: 'azure-iot-hub-connection-string',
  name: 'Azure IoT Hub connection string',
  issuer: 'azure',
  keywords: ['SharedAccessKey='],
  pattern: new RegExp(
    `HostName=[a-z0-9-]{3,50}\\.azure-devices\\.net;\\s{0,2}(?:SharedAccessKeyName|DeviceId)=[^;\\s"']{1,128};\\s{0,2}(?:ModuleId=[^;\\s"']{1,128};\\s{0,2})?SharedAccessKey=(?<secret>${KEY44})(?![A-Za-z0-9+/=])`,
  ),
  window: { before: 300 },
  validate: (secret) => !isIdentifiable44(secret),
  entropy: 4.2,
  severity: 'high',
  examples: {
    match: [
      '"IOTHUB_CONNECTION_STRING": "HostName=iot-fleet-prod.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=TlnCqc8b0wy9/5em81DsOlTrMwD9ciOMOCqLCxzu+xw="',
      'device conn string for the gateway: HostName=iot-fleet-prod.azure-devices.net;DeviceId=gw-berlin-07;SharedAccessKey=/zseBNxrBJCOtJMtdNayqSAdkNbsXetefhczpPPUOL0=',
    ],
    ignore: [
      'HostName=iot-fleet-prod.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={{ iothub_key }}',
      'HostName=iot-fleet-prod.azure-devices.net;DeviceId=gw-berlin-07;x509=true',
      'HostName=iot-fleet-prod.azure-devices.net;DeviceId=gw-berlin-07;SharedAccessKey=sVjiht6ImpQct0/rqHgUl1Az6dceFJor5AIoTGGwQi4=',
    ],
  },
};

export const azureIotIdentifiableKey: Detector = {
  id: 'azure-iot-identifiable-key',
  name: 'Azure IoT Hub / DPS / device key (identifiable)',
  issuer: 'azure',
  keywords: ['AIoT'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{33}AIoT[A-P][A-Za-z0-9+/]{5}=)(?![A-Za-z0-9+/=])/,
  window: { before: 40, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.iot),
  severity: 'high',
  examples: {
    match: [
      'HostName=iot-fleet-prod.azure-devices.net;DeviceId=gw-berlin-07;SharedAccessKey=sVjiht6ImpQct0/rqHgUl1Az6dceFJor5AIoTGGwQi4=',
      'symmetric key for enrollment group: kF5fP1vQ29lv9+ac4f9hLxHaTbetQNri7AIoTICAAOg=',
    ],
    ignore: [
      'AIoT keys are 44 chars',
      'sVjiht6ImpQct0/rqHgUl1Az6dceFJor5AIoTGGw=',
      'key=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXAIoTAXXXXX=',
    ],
  },
};

export const azureFunctionKey: Detector = {
  id: 'azure-function-key',
  name: 'Azure Functions key (identifiable)',
  issuer: 'azure',
  keywords: ['AzFu'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==)(?![A-Za-z0-9_=-])/,
  window: { before: 50, after: 16 },
  validate: identifiableScore(AZURE_SEEDS.functions),
  severity: 'high',
  examples: {
    match: [
      'curl "https://fn-billing.azurewebsites.net/api/recalc?code=ebJV3O7QoeAadE0wmR1O50QFfDOEpzxIApjYv2jLOnSOAzFutu2BRA=="',
      'x-functions-key: wrCv3AT6CtVHbTw7fl1UYLTd5BkLthYaznKj8y2ZBOPUAzFuSfs89Q==',
    ],
    ignore: [
      'function keys contain AzFu',
      '?code=ebJV3O7QoeAadE0wmR1O50QFfDOEpzxIApjYv2jLOnSOAzFutu2BRA',
      'x-functions-key: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXAzFuXXXXXA==',
    ],
  },
};

export const azureSearchKey: Detector = {
  id: 'azure-search-key',
  name: 'Azure AI Search admin/query key (identifiable)',
  issuer: 'azure',
  keywords: ['AzSe'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5})(?![A-Za-z0-9+/=])/,
  window: { before: 50, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.search),
  severity: 'high',
  examples: {
    match: [
      'SEARCH_API_KEY=TO9fzLxjjbzFQppWhdFXXVTyopq0ZSSN1uYFZDk17jAzSeAKTxHL',
      'api-key: 0z3aWflAZZNluYBb1T72MDEx98SEtWTURDTbbaDkwVAzSeC4wGtw',
    ],
    ignore: [
      'search keys contain AzSe',
      'SEARCH_API_KEY=TO9fzLxjjbzFQppWhdFXXVTyopq0ZSSN1uYFZDk17jAzSeAKTxHLmore',
      'SEARCH_API_KEY=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXAzSeAXXXXX',
    ],
  },
};

export const azureContainerRegistryKey: Detector = {
  id: 'azure-container-registry-key',
  name: 'Azure Container Registry password (identifiable)',
  issuer: 'azure',
  keywords: ['+ACR'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})(?![A-Za-z0-9+/=])/,
  window: { before: 50, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.containerRegistry),
  severity: 'critical',
  examples: {
    match: [
      'docker login crplatform.azurecr.io -u crplatform -p VHR9ovAzydLV4SKI/jkUZNZd6OBvFbtswMKkcBMavy+ACRDq1Nar',
      'ACR_PASSWORD=qwDruZsasFocLJw1yJZXObSzuZ37F4b8s9wWNrhzJK+ACRAFtlFJ',
    ],
    ignore: [
      'registry passwords contain +ACR',
      'ACR_PASSWORD=VHR9ovAzydLV4SKI/jkUZNZd6OBvFbtswMKkcBMavy+ACR',
      'ACR_PASSWORD=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX+ACRAXXXXX',
    ],
  },
};

export const azureApimKey: Detector = {
  id: 'azure-apim-key',
  name: 'Azure API Management key (identifiable)',
  issuer: 'azure',
  keywords: ['APIM'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{76}APIM[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])/,
  window: { before: 90, after: 16 },
  validate: identifiableScore(AZURE_SEEDS.apim),
  severity: 'high',
  examples: {
    match: [
      'Ocp-Apim-Subscription-Key: QvninpikXYcxOvyK81UPaa8PAMB6LlfeX5IvxOwCc0xT7scPV00TerPqGnSkLB7xTUal0hx+hxbGAPIMpbz2Mw==',
      'gateway token for self-hosted gw: wAXrXN2PFXRSMeQ+QnHpLrfjg/TstDQveFl8DKkD8C2JODzBJOtcT3rCQS5A2rmxtmYydC8JkfeJAPIMG6EcsA==',
    ],
    ignore: [
      'APIM subscription keys are 88 chars',
      'Ocp-Apim-Subscription-Key: 3f2a9c1e7b4d4e0f9a8b6c5d4e3f2a1b',
      'QvninpikXYcxOvyK81UPaa8PAMB6LlfeX5IvxOwCc0xT7scPV00TerPqGnSkLB7xAPIMpbz2Mw==',
    ],
  },
};

export const azureCacheForRedisKey: Detector = {
  id: 'azure-cache-for-redis-key',
  name: 'Azure Cache for Redis access key (identifiable)',
  issuer: 'azure',
  keywords: ['AzCa'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9+/]{33}AzCa[A-P][A-Za-z0-9+/]{5}=)(?![A-Za-z0-9+/=])/,
  window: { before: 40, after: 12 },
  validate: identifiableScore(AZURE_SEEDS.redis),
  severity: 'high',
  examples: {
    match: [
      'redis-sessions.redis.cache.windows.net:6380,password=AiPWwqzEnwCAxj3kdmDNCvULgqYtCGNbAAzCaCdcoYM=,ssl=True,abortConnect=False',
      'REDIS_KEY=gXwVZLkH2126gvRPjjGkuejnKDOSnuYD2AzCaMrveaQ=',
    ],
    ignore: ['redis keys contain AzCa', 'password=AiPWwqzEnwCAxj3kdmDNCvUL+AzCaCdcoYM=', 'REDIS_KEY=<AzCa key>'],
  },
};

export const azureCaskKey: Detector = {
  id: 'azure-cask-key',
  name: 'Azure common annotated security key (CASK: AI services, Event Grid, …)',
  issuer: 'azure',
  keywords: ['JQQJ9'],
  pattern:
    /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}(?<provider>[A-Za-z][A-Za-z0-9]{3})[A-Za-z0-9]{4})(?![A-Za-z0-9+/=])/,
  window: { before: 60, after: 32 },
  // AZDO keys are Azure DevOps PATs, reported by the azure-devops detectors.
  validate: (secret, groups) => (groups.provider === 'AZDO' ? false : hasCaskChecksum(secret) ? 1 : 0.8),
  severity: 'high',
  examples: {
    match: [
      'AZURE_OPENAI_API_KEY=IbOsV1UETpSl9exSXxTEAQMwwHkU5rfvLKBEFC30WkbIXgZzggsZJQQJ99BDRIAIz8ilLU8dAAABACOGf1GL',
      'event grid topic key: c8SJGRz7YHo5cPDGgstPU5rOremNiZNxM78xgMZvVN6qcREqolBmJQQJ99BDNRr2Gl8ggIGZAAABAZEGp3qd',
    ],
    ignore: [
      // Azure DevOps PATs share the format and belong to another detector
      'ADO_PAT=mUb2yUwlLgvp9WBp6bc7eakzhViGxsbsQIHN2ZDekBmfJxKAAlxRJQQJ99BDExAZwPZ25IKMAAABAZDOHAid',
      'CASK keys contain JQQJ99 at offset 52',
      'IbOsV1UETpSl9exSXxTEAQMwwHkU5rfvLKBEFC30WkbIXgZzggsZJQQJ99BDRIAIz8il',
    ],
  },
};

export const azureSignalRConnectionString: Detector = {
  id: 'azure-signalr-connection-string',
  name: 'Azure SignalR / Web PubSub connection string',
  issuer: 'azure',
  keywords: ['AccessKey='],
  pattern: new RegExp(
    `Endpoint=https://[a-z0-9-]{3,63}\\.(?:service\\.signalr\\.net|webpubsub\\.azure\\.com);\\s{0,2}AccessKey=(?<secret>${KEY44})(?![A-Za-z0-9+/=])`,
  ),
  window: { before: 120 },
  entropy: 4.2,
  severity: 'high',
  examples: {
    match: [
      'Azure__SignalR__ConnectionString=Endpoint=https://sigr-chat-prod.service.signalr.net;AccessKey=TlnCqc8b0wy9/5em81DsOlTrMwD9ciOMOCqLCxzu+xw=;Version=1.0;',
      '"WebPubSubConnectionString": "Endpoint=https://wps-notify.webpubsub.azure.com;AccessKey=AiEwf6dLoPZ/R9WxmwgUoekn544tcKvf7w2g/KGy0Os=;Version=1.0;"',
    ],
    ignore: [
      'Endpoint=https://sigr-chat-prod.service.signalr.net;AuthType=azure.msi;Version=1.0;',
      'Endpoint=https://sigr-chat-prod.service.signalr.net;AccessKey=<access-key>;Version=1.0;',
      'Endpoint=http://localhost;Port=8080;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH;Version=1.0;',
    ],
  },
};

export const azureAppConfigurationConnectionString: Detector = {
  id: 'azure-app-configuration-connection-string',
  name: 'Azure App Configuration connection string',
  issuer: 'azure',
  keywords: ['.azconfig.io'],
  pattern: new RegExp(
    `https://[a-z0-9-]{3,50}\\.azconfig\\.io;\\s{0,2}Id=[A-Za-z0-9-]{4,20}:[A-Za-z0-9+/]{12,32};\\s{0,2}Secret=(?<secret>${KEY44})(?![A-Za-z0-9+/=])`,
  ),
  window: { before: 64, after: 160 },
  entropy: 4.2,
  severity: 'high',
  examples: {
    match: [
      'APPCONFIG_CONNECTION_STRING="Endpoint=https://appcs-checkout-prod.azconfig.io;Id=k2Pq-l9-s0:Rw7Fh2LcYp0Zt4Nq8VbX;Secret=/zseBNxrBJCOtJMtdNayqSAdkNbsXetefhczpPPUOL0="',
      'read-only key: Endpoint=https://appcs-shared.azconfig.io;Id=9Xv4-l0-s0:Gd3Kp8WqLm2Rz6Tn0YbH;Secret=TlnCqc8b0wy9/5em81DsOlTrMwD9ciOMOCqLCxzu+xw=',
    ],
    ignore: [
      'Endpoint=https://appcs-checkout-prod.azconfig.io;Id=k2Pq-l9-s0:Rw7Fh2LcYp0Zt4Nq8VbX;Secret=<secret>',
      'use managed identity with https://appcs-checkout-prod.azconfig.io instead of a connection string',
      'Endpoint=https://appcs-checkout-prod.azconfig.io;Id=k2Pq-l9-s0:Rw7Fh2LcYp0Zt4Nq8VbX;Secret=/zseBNxrBJCOtJMtdN=',
    ],
  },
};

export const azureDetectors: readonly Detector[] = [
  azureStorageConnectionString,
  azureStorageAccountKey,
  azureStorageIdentifiableKey,
  azureSasToken,
  azureEntraClientSecret,
  azureCosmosDbConnectionString,
  azureCosmosDbIdentifiableKey,
  azureServiceBusConnectionString,
  azureServiceBusIdentifiableKey,
  azureEventHubsIdentifiableKey,
  azureRelayIdentifiableKey,
  azureIotHubConnectionString,
  azureIotIdentifiableKey,
  azureFunctionKey,
  azureSearchKey,
  azureContainerRegistryKey,
  azureApimKey,
  azureCacheForRedisKey,
  azureCaskKey,
  azureSignalRConnectionString,
  azureAppConfigurationConnectionString,
];
