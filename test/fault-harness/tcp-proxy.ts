import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL, to simulate an outage
 * without touching the shared server: `cut()` destroys every connection and
 * stops listening (new connections are refused), `restore()` listens again on
 * the same port.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;
  /** Connections accepted so far (reconnects show here). */
  accepted = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((client) => {
      this.accepted++;
      const upstream = connect(this.#target.port, this.#target.host);
      this.#sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
  }

  get cutOff(): boolean {
    return this.#server === undefined;
  }

  /** Drops every connection and refuses new ones until `restore()`. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (!this.#server) await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
