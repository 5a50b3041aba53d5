import { describe, it, expect } from 'vitest';
import { slackBotToken, slackRefreshToken, slackRotatingToken } from './slack.ts';

const body = (plain: string) => Buffer.from(plain).toString('base64url');
const HEX64 = 'c436e7c3093a36d9aade2cf70f39dbc7b6a40f247df90b2821f18f96674be101';

describe('Slack rotating and refresh token layout', () => {
  it('scores 1 when the body decodes to <version>-<ids>-<64 hex>', () => {
    const token = `xoxe.xoxp-1-${body(`2-7344796976-13407693343870-5470598363624-5536900511862-${HEX64}`)}`;
    expect(slackRotatingToken.validate?.(token, {})).toBe(1);
    const refresh = `xoxe-1-${body(`3-1-6544721614-3903696972329-7438982692071-${HEX64}`)}`;
    expect(slackRefreshToken.validate?.(refresh, {})).toBe(1);
  });

  it('keeps an undecodable body at a lower confidence', () => {
    const token = `xoxe.xoxb-1-${'Qm9vdHN0cmFwcGVkR3JlZW5GaWVsZA'.repeat(5)}`;
    expect(slackRotatingToken.validate?.(token, {})).toBe(0.6);
  });
});

describe('Slack bot token tail', () => {
  it('needs letters and mixed classes in the random part', () => {
    expect(slackBotToken.validate?.('xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl', {})).toBe(true);
    expect(slackBotToken.validate?.('xoxb-573493285553-6466811986236-555309811986236646681198', {})).toBe(false);
    expect(slackBotToken.validate?.('xoxb-573493285553-6466811986236-abcdefghjkmnpqrstuvwxyzq', {})).toBe(false);
  });
});
