import { describe, expect, it } from 'vitest';
import { HOOK_EVENT_TYPES, parseHooksConfig } from './hook-config.ts';

const KEY = 'signing-key-0123456789abcdef-0123456789';

function hooks(...entries: Record<string, unknown>[]): string {
  return JSON.stringify(
    entries.map((e) => ({ name: 'siem', url: 'https://siem.example.com/hook', secret: KEY, ...e })),
  );
}

describe('LEAKWATCH_HOOKS', () => {
  it('means no hooks when unset or blank', () => {
    expect(parseHooksConfig(undefined)).toEqual([]);
    expect(parseHooksConfig('  ')).toEqual([]);
    expect(parseHooksConfig('[]')).toEqual([]);
  });

  it('applies defaults: all events, no secret, 10 s timeout', () => {
    expect(parseHooksConfig(hooks({}))).toEqual([
      {
        name: 'siem',
        url: 'https://siem.example.com/hook',
        secret: KEY,
        events: [...HOOK_EVENT_TYPES],
        includeSecret: false,
        timeoutMs: 10_000,
      },
    ]);
  });

  it('keeps explicit settings', () => {
    const [hook] = parseHooksConfig(
      hooks({ name: 'revoker', events: ['finding.revoke_requested'], includeSecret: true, timeoutMs: 2000 }),
    );
    expect(hook).toMatchObject({ events: ['finding.revoke_requested'], includeSecret: true, timeoutMs: 2000 });
  });

  it('allows plain http only for a loopback host', () => {
    expect(parseHooksConfig(hooks({ url: 'http://localhost:8080/revoke' }))).toHaveLength(1);
    expect(parseHooksConfig(hooks({ url: 'http://127.0.0.1:8080/revoke' }))).toHaveLength(1);
    expect(() => parseHooksConfig(hooks({}, { name: 'b', url: 'http://revoker.internal/hook' }))).toThrow(
      /LEAKWATCH_HOOKS\[1\]\.url: must use https/,
    );
    expect(() => parseHooksConfig(hooks({ url: 'ftp://example.com/' }))).toThrow(/LEAKWATCH_HOOKS\[0\]\.url/);
    expect(() => parseHooksConfig(hooks({ url: 'not a url' }))).toThrow(
      /LEAKWATCH_HOOKS\[0\]\.url: must be an absolute URL/,
    );
    expect(() => parseHooksConfig(hooks({ url: 'https://u:p@example.com/' }))).toThrow(
      /url: must not contain credentials/,
    );
  });

  it('names every invalid field', () => {
    const attempt = () =>
      parseHooksConfig(
        hooks(
          { secret: 'short' },
          { name: 'two', events: ['finding.deleted'] },
          { name: 'three', includeSecret: 'yes', timeoutMs: 5 },
          { name: 'four', events: [] },
          { name: 'five', extra: 1 },
        ),
      );
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[0\]\.secret: must be at least 32 characters/);
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[1\]\.events\[0\]:/);
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[2\]\.includeSecret:/);
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[2\]\.timeoutMs:/);
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[3\]\.events: must list at least one event/);
    expect(attempt).toThrow(/LEAKWATCH_HOOKS\[4\]: .*extra/);
    expect(() => parseHooksConfig('{"name":"x"}')).toThrow(/LEAKWATCH_HOOKS: .*array/);
  });

  it('refuses duplicate names, which would share deliveries', () => {
    expect(() => parseHooksConfig(hooks({}, {}))).toThrow(/LEAKWATCH_HOOKS\[1\]\.name: is used by another hook/);
    expect(() => parseHooksConfig(hooks({ name: 'has space' }))).toThrow(/LEAKWATCH_HOOKS\[0\]\.name/);
  });

  it('never echoes the configuration, which holds signing keys', () => {
    const broken = `[{"name":"x","secret":"${KEY}" "url":"https://a.example"}]`;
    expect(() => parseHooksConfig(broken)).toThrow(/LEAKWATCH_HOOKS: not valid JSON/);
    for (const text of [broken, hooks({ secret: 42 }), hooks({ url: 'http://a.example', secret: KEY.slice(0, 31) })]) {
      const message = (() => {
        try {
          parseHooksConfig(text);
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).not.toBe('');
      expect(message).not.toContain(KEY.slice(0, 20));
    }
  });
});
