import type { Detector } from '../src/core/detector.ts';
import { hasKnownTokenPrefix, isPlaceholderPassword } from './generic.ts';

/**
 * Connection strings and URLs with a password in the userinfo part:
 * `postgres://app:S3cret@db:5432/app`. Never verified (that would mean
 * connecting to someone's database). Docs placeholders (`user:password@`,
 * `<password>`, `${DB_PASS}`, `guest:guest`) are rejected; a real-looking
 * password to `localhost` is still reported, since people reuse them.
 */

const SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'ftp',
  'ftps',
  'sftp',
  'sftps',
  'smtp',
  'smtps',
  'ldap',
  'ldaps',
  'http',
  'https',
] as const;

/** Host names used in documentation rather than in real deployments. */
const PLACEHOLDER_HOST =
  /^(?:host(?:name)?|server|domain|your[-_]?\w*|my[-_]?(?:host|server|domain|cluster)\w*|db[-_]?host|cluster|address|ip|x+(?:\.x+)*|\d+\.\d+\.\d+\.x+|\*+)$|(?:^|\.)(?:example|test|invalid)(?:\.(?:com|org|net))?$|(?:^|\.)(?:yourdomain|mydomain|domain)\.(?:com|org|net)$/i;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function validateUriPassword(secret: string, groups: Readonly<Record<string, string | undefined>>): boolean | number {
  const password = decode(secret);
  const user = decode(groups.user ?? '');
  const host = (groups.host ?? '').replace(/\.$/, '');
  if (password.length < 4) return false;
  if (hasKnownTokenPrefix(password)) return false; // e.g. https://x-access-token:ghs_…@github.com
  if (isPlaceholderPassword(password, user)) return false;
  if (/^[<[{(]|[>\]})]$/.test(password) || /^[<[{]/.test(user)) return false;
  if (PLACEHOLDER_HOST.test(host)) return false;
  return 0.9;
}

export const uriCredentials: Detector = {
  id: 'uri-credentials',
  name: 'Password in a connection URL',
  issuer: 'uri-credentials',
  keywords: SCHEMES.map((s) => `${s}://`),
  // userinfo = user ":" password "@"; the password may hold unencoded '@', ':' or '#' (greedy to the last '@' before a host).
  pattern:
    /\b(?<scheme>postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|s?ftps?|smtps?|ldaps?|https?):\/\/(?<user>[^\s:/?#"'<>[\]]{0,128}):(?<secret>[^\s/?"'<>]{1,128})@(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])/i,
  validate: validateUriPassword,
  generic: true,
  severity: 'high',
  examples: {
    match: [
      'DATABASE_URL=postgres://billing:Vq7mR2xLp9sT@db-prod.internal:5432/billing',
      'can someone check why this fails? mongodb+srv://svc_reporting:Zt4kW9qNc2Ls@cluster0.ab12c.mongodb.net/reports?retryWrites=true',
      'CELERY_BROKER_URL: amqp://orders:H3n8%40tq2Wxz@rabbit.prod.acme.io:5672/orders',
      'pip install git+https://deploy:Kq9vT2wXm7Lp@git.acme.io/platform/shared-lib.git',
      'redis://:Xw7Rk2mQ9tVz@10.0.12.7:6379/0',
    ],
    ignore: [
      'postgres://user:password@localhost:5432/db',
      'mongodb+srv://<username>:<password>@cluster0.mongodb.net/test',
      'REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379',
      'amqp://guest:guest@localhost:5672/',
      'mysql://root:changeme@127.0.0.1/app',
      'https://grafana.acme.io:3000/d/abc@latest',
      'postgresql://app:s3cr3t@db.example.com/app',
      'see https://x-access-token:ghs_16C7e42F292c69C2E7C10c838347Ae178B4a@github.com/acme/repo.git',
      'postgres://admin:%s@%s:5432/%s',
    ],
  },
};

export const uriCredentialsDetectors: readonly Detector[] = [uriCredentials];
