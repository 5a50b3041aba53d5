/**
 * A minimal fake Slack Web API for the load benchmark, on 127.0.0.1: just the
 * methods an owner DM needs (`auth.test`, `users.info`, `conversations.open`,
 * `chat.postMessage`) and an `ok: true` for anything else. Every person exists
 * (a load run invents thousands of authors); a DM to `D<rest of user id>` is
 * recorded with its arrival time, so the benchmark can measure event → DM.
 * Plain `node:http` rather than the demo's stand-in: it answers hundreds of
 * calls a second and keeps nothing but one timestamp per DM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackForLoad {
  /** `http://127.0.0.1:<port>/api/` (SLACK_API_URL). */
  apiUrl: string;
  /** DM channel (`D…`) → arrival time (epoch ms, sub-millisecond) of its first chat.postMessage. */
  dms: Map<string, number>;
  /** DM posts beyond the first per channel (a duplicate notification would show here). */
  duplicateDms(): number;
  calls(): Record<string, number>;
  close(): Promise<void>;
}

export const FAKE_TEAM_ID = 'T0LOADTEST';
const BOT_USER_ID = 'U0LEAKBOT';

/** Epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (/json/i.test(type)) {
    const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startFakeSlackForLoad(botToken: string): Promise<FakeSlackForLoad> {
  const dms = new Map<string, number>();
  const calls: Record<string, number> = {};
  let duplicates = 0;
  let ts = Date.now() * 1000;
  const nextTs = () => {
    ts += 1;
    return `${Math.floor(ts / 1e6)}.${String(ts % 1e6).padStart(6, '0')}`;
  };
  let baseUrl = '';

  const answer = (method: string, p: Record<string, string>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return {
          url: `${baseUrl}/`,
          team: 'Load test',
          user: 'leakwatch',
          team_id: FAKE_TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: 'B0LEAKBOT',
        };
      case 'users.info':
        return {
          user: {
            id: p.user,
            team_id: FAKE_TEAM_ID,
            name: `user-${p.user}`,
            real_name: `User ${p.user}`,
            deleted: false,
            is_bot: false,
            profile: { real_name: `User ${p.user}`, display_name: `user-${p.user}` },
          },
        };
      case 'conversations.open':
        return { channel: { id: `D${(p.users ?? 'UNKNOWN').slice(1)}` } };
      case 'chat.postMessage': {
        const channel = p.channel ?? '';
        if (channel.startsWith('D')) {
          if (dms.has(channel)) duplicates++;
          else dms.set(channel, epochMs());
        }
        const messageTs = nextTs();
        return {
          channel,
          ts: messageTs,
          message: { type: 'message', ts: messageTs, text: p.text ?? '', bot_id: 'B0LEAKBOT' },
        };
      }
      default:
        return {};
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1] ?? '';
    calls[method] = (calls[method] ?? 0) + 1;
    const params = await readParams(req);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? params.token;
    const body = token === botToken ? { ok: true, ...answer(method, params) } : { ok: false, error: 'invalid_auth' };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${baseUrl}/api/`,
    dms,
    duplicateDms: () => duplicates,
    calls: () => ({ ...calls }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
