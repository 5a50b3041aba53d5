import { pino, type Logger, type LoggerOptions } from 'pino';
import type { Scanner } from './detection/scanner.ts';
import { redactSpans } from './detection/redact.ts';

export type { Logger };

/**
 * JSON logs (pino). Two layers keep secrets out: `Secret` values serialise to
 * their redacted form, and every line is scanned with the detectors before it
 * is written, so a secret that slipped into an error message from a library is
 * redacted too (belt and braces for invariant 1).
 */
export function createLogger(options: {
  level: LoggerOptions['level'];
  scanner?: Scanner;
  write?: (line: string) => void;
}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const scanner = options.scanner;
  const destination = {
    write(line: string) {
      if (!scanner) return write(line);
      const matches = scanner.scan(line);
      if (matches.length === 0) return write(line);
      const byRaw = new Map<string, string>();
      for (const m of matches) {
        byRaw.set(m.secret.reveal(), m.secret.redacted);
        for (const p of m.parts) byRaw.set(p.secret.reveal(), p.secret.redacted);
      }
      const spans = matches.flatMap((m) => [m, ...m.parts]);
      write(redactSpans(line, spans, (original) => byRaw.get(original) ?? '[redacted]'));
    },
  };
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'leakwatch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}
