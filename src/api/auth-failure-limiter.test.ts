import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failure-limiter.ts';

describe('AuthFailureLimiter', () => {
  it('locks an address after maxFailures within the window, and lets it go when the window ends', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter({ maxFailures: 3, windowMs: 60_000 }, () => now);
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
    now += 20_000;
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(40);
    expect(limiter.retryAfterSeconds('b')).toBeUndefined();
    now += 39_500;
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    now += 500;
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
    // A new window starts from scratch.
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
  });

  it('stays bounded under a flood of addresses', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 1, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 25_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.retryAfterSeconds('10.0.97.167')).toBe(60);
  });

  it('validates its options once, at construction', () => {
    expect(() => new AuthFailureLimiter({ maxFailures: 0, windowMs: 1000 })).toThrow(/maxFailures/);
    expect(() => new AuthFailureLimiter({ maxFailures: 1, windowMs: 0 })).toThrow(/windowMs/);
  });
});
