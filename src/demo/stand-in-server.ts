import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { SelfSignedCertificate } from './self-signed-certificate.ts';

/** A stand-in listening on 127.0.0.1. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` (or https), without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler (a Hono app) on 127.0.0.1 only: on a free port by
 * default, over https when given a certificate. `close` also drops idle
 * keep-alive connections, so stopping the demo never hangs on a client.
 */
export async function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  options: { port?: number; tls?: SelfSignedCertificate } = {},
): Promise<RunningServer> {
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const base = { fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' };
    server = options.tls
      ? serve(
          { ...base, createServer: createHttpsServer, serverOptions: { key: options.tls.key, cert: options.tls.cert } },
          (info) => resolve(info.port),
        )
      : serve(base, (info) => resolve(info.port));
    server.once('error', reject);
  });
  const running = server!;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        running.close(() => resolve());
        if ('closeAllConnections' in running) running.closeAllConnections();
      }),
  };
}

/** Whether `port` on 127.0.0.1 can be listened on right now. */
export async function portIsFree(port: number): Promise<boolean> {
  const probe = createNetServer();
  const free = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

/** A port that was free a moment ago (for addresses that must be known before the server starts). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
