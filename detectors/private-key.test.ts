import { describe, expect, it } from 'vitest';
import { createScanner } from '../src/detection/scanner.ts';
import { privateKeyDetectors } from './private-key.ts';

const scanner = createScanner({ detectors: privateKeyDetectors, fingerprintKey: 'test-key' });
const ids = (text: string): string[] => scanner.scan(text).map((m) => m.detectorId);

const EC_LINES = [
  'MHcCAQEEIFdGxd+9Z34UPJ2BgqB14QiVI8JWgWAAwcZfKYr0oEtDoAoGCCqGSM49',
  'AwEHoUQDQgAEFFneQLXKD5RyGv8fQIbnTMogOHRKhyAFdZNM6JuYvMIryrG63Ly1',
  'jMKg0Lkpug2YiwJ6xNn3JXFxUEH+zbtKgg==',
];
const EC_KEY = ['-----BEGIN EC PRIVATE KEY-----', ...EC_LINES, '-----END EC PRIVATE KEY-----'].join('\n');

/** ssh-keygen -t ed25519 -N '': the body holds runs of `A` (zero bytes) the shared placeholder filter would drop. */
const OPENSSH_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACD48N8vtfUYSx+YqawSl92gToodncgZkXhV4Z/qd9My2gAAAJjM0EivzNBI',
  'rwAAAAtzc2gtZWQyNTUxOQAAACD48N8vtfUYSx+YqawSl92gToodncgZkXhV4Z/qd9My2g',
  'AAAEB0i5kyHDJcY+f6cBIK0sB0DYKkyHGZ0xUED6pxWWGtzfjw3y+19RhLH5iprBKX3aBO',
  'ih2dyBmReFXhn+p30zLaAAAAE2RlcGxveUBjaS1ydW5uZXItMDcBAg==',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

describe('private-key', () => {
  it('finds a key pasted as is, collapsed onto one line, or JSON-escaped', () => {
    expect(ids(EC_KEY)).toEqual(['private-key']);
    expect(ids(`key: ${EC_KEY.replace(/\n/g, ' ')} thanks`)).toEqual(['private-key']);
    expect(ids(JSON.stringify({ private_key: `${EC_KEY}\n` }))).toEqual(['private-key']);
  });

  it('finds a key indented in YAML (six-space runs) and one split into quoted string literals', () => {
    const yaml = `tls:\n  key: |\n${EC_KEY.split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n`;
    expect(ids(yaml)).toEqual(['private-key']);
    const python = `KEY = (\n${EC_KEY.split('\n')
      .map((l) => `    "${l}\\n"`)
      .join('\n')}\n)`;
    expect(ids(python)).toEqual(['private-key']);
  });

  it('reads the OpenSSH cipher name: none is unprotected', () => {
    expect(ids(OPENSSH_KEY)).toEqual(['private-key']);
  });

  it('spans exactly the BEGIN…END block and finds two keys in one message', () => {
    const text = `old:\n${EC_KEY}\nnew:\n${OPENSSH_KEY}\n`;
    const found = scanner.scan(text);
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual([EC_KEY, OPENSSH_KEY]);
  });

  it('rejects elided, masked and truncated bodies', () => {
    const elided = ['-----BEGIN EC PRIVATE KEY-----', EC_LINES[0], '...', '-----END EC PRIVATE KEY-----'].join('\n');
    expect(ids(elided)).toEqual([]);
    const masked = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEI' + 'X'.repeat(60),
      '-----END EC PRIVATE KEY-----',
    ].join('\n');
    expect(ids(masked)).toEqual([]);
    // BEGIN without END (message cut off)
    expect(ids(EC_KEY.split('\n').slice(0, 3).join('\n'))).toEqual([]);
  });

  it('rejects a body that is not a DER structure', () => {
    const text = EC_KEY.replace('MHcCAQEE', 'QHcCAQEE');
    expect(ids(text)).toEqual([]);
  });
});
