import { describe, expect, it } from 'vitest';
import { LeakwatchError } from '../../src/core/errors.ts';
import { loadSlackConfig } from './slack-config.ts';

const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

function configError(env: Record<string, string>): LeakwatchError {
  try {
    loadSlackConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(LeakwatchError);
    return error as LeakwatchError;
  }
  throw new Error('expected a configuration error');
}

describe('loadSlackConfig', () => {
  it('is off without SLACK_BOT_TOKEN (an empty value counts as unset)', () => {
    expect(loadSlackConfig({})).toBeUndefined();
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: '  ', SLACK_SIGNING_SECRET: SIGNING_SECRET })).toBeUndefined();
  });

  it('applies the documented defaults', () => {
    expect(
      loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: '' }),
    ).toEqual({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      adminUserToken: undefined,
      securityChannel: undefined,
      redaction: 'edit',
      autoRedact: true,
      digestCron: '0 9 * * *',
      digestPeriod: 'daily',
      backfillRequestsPerMinute: 50,
      maxFileBytes: 1024 * 1024,
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('reads every variable', () => {
    const config = loadSlackConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: 'xapp-1-A0LEAKWTCH-1234567890-abcdef0123456789',
      SLACK_ADMIN_USER_TOKEN: 'xoxp-17653672481-19874698323-0123456789-abcdef',
      SLACK_SECURITY_CHANNEL: 'C0SECURITY1',
      SLACK_REDACTION: 'delete',
      SLACK_AUTO_REDACT: 'false',
      SLACK_DIGEST_CRON: 'off',
      SLACK_DIGEST_PERIOD: 'weekly',
      SLACK_BACKFILL_RPM: '1',
      SLACK_MAX_FILE_BYTES: '65536',
      SLACK_API_URL: 'http://localhost:9999/api',
    });
    expect(config).toMatchObject({
      signingSecret: undefined,
      appToken: 'xapp-1-A0LEAKWTCH-1234567890-abcdef0123456789',
      securityChannel: 'C0SECURITY1',
      redaction: 'delete',
      autoRedact: false,
      digestCron: undefined,
      digestPeriod: 'weekly',
      backfillRequestsPerMinute: 1,
      maxFileBytes: 65536,
      apiUrl: 'http://localhost:9999/api/',
    });
  });

  it('names the variable without echoing a token', () => {
    const wrongKind = configError({
      SLACK_BOT_TOKEN: 'xoxp-17653672481-19874698323-0123456789',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    expect(wrongKind.message).toContain('SLACK_BOT_TOKEN: must be a bot token (starts with xoxb-)');
    expect(wrongKind.message).not.toContain('17653672481');
    expect(wrongKind.code).toBe('config_invalid');

    const many = configError({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_SECURITY_CHANNEL: '#security',
      SLACK_REDACTION: 'shred',
      SLACK_BACKFILL_RPM: '0',
      SLACK_DIGEST_CRON: 'every day',
      SLACK_API_URL: 'ftp://proxy',
    });
    for (const name of [
      'SLACK_SECURITY_CHANNEL',
      'SLACK_REDACTION',
      'SLACK_BACKFILL_RPM',
      'SLACK_DIGEST_CRON',
      'SLACK_API_URL',
    ]) {
      expect(many.message).toContain(`${name}:`);
    }
  });

  it('requires a signing secret unless Socket Mode is used', () => {
    expect(configError({ SLACK_BOT_TOKEN: BOT_TOKEN }).message).toContain(
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN',
    );
    expect(configError({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 'not-hex!' }).message).toContain(
      'SLACK_SIGNING_SECRET:',
    );
  });
});
