import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';

/** The self-hosted services that issued the demo's credentials. */
export type IssuerService = 'gitea' | 'vault' | 'grafana';

interface IssuedToken {
  service: IssuerService;
  /** Who the token acts as (Gitea login, Vault display name, Grafana organisation). */
  account: string;
  revoked: boolean;
}

/** One liveness check an issuer answered (what leakwatch's verifier asked, and what it was told). */
export interface IssuerCheck {
  service: IssuerService;
  path: string;
  outcome: 'live' | 'dead';
  at: Date;
}

/** Like the real services, only a hash of each token is kept: the stand-in never holds a raw credential. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Stand-ins for a company's self-hosted Gitea, HashiCorp Vault and Grafana,
 * each mounted under its own path (`/gitea`, `/vault`, `/grafana`) and
 * answering the one "who am I" request leakwatch's verifiers send, with the
 * status codes and bodies the real servers use: a token the service issued
 * and has not revoked is live, anything else is refused.
 *
 * @example
 *   const issuer = new FakeIssuer();
 *   issuer.issue('gitea', token, 'release-bot');
 *   // LEAKWATCH_VERIFY_BASE_URLS=gitea=http://127.0.0.1:<port>/gitea
 */
export class FakeIssuer {
  readonly checks: IssuerCheck[] = [];
  readonly app: Hono;
  readonly #tokens = new Map<string, IssuedToken>();

  constructor() {
    this.app = new Hono();
    this.app.route('/gitea', this.#gitea());
    this.app.route('/vault', this.#vault());
    this.app.route('/grafana', this.#grafana());
  }

  /** Records a token as issued by `service` to `account`. */
  issue(service: IssuerService, token: string, account: string): void {
    this.#tokens.set(tokenHash(token), { service, account, revoked: false });
  }

  /** Marks a token revoked (rotated): from now on the service refuses it. */
  revoke(token: string): void {
    const issued = this.#tokens.get(tokenHash(token));
    if (issued) issued.revoked = true;
  }

  #lookup(service: IssuerService, token: string | undefined): IssuedToken | undefined {
    if (!token) return undefined;
    const issued = this.#tokens.get(tokenHash(token));
    return issued && issued.service === service && !issued.revoked ? issued : undefined;
  }

  #record(service: IssuerService, c: Context, outcome: 'live' | 'dead'): void {
    const check = { service, path: new URL(c.req.url).pathname, outcome, at: new Date() };
    this.checks.push(check);
  }

  /** Gitea `GET /api/v1/user` with `Authorization: token <t>`: the signed-in user, or 401. */
  #gitea(): Hono {
    const app = new Hono();
    app.get('/api/v1/user', (c) => {
      const token = /^(?:token|bearer)\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const issued = this.#lookup('gitea', token);
      this.#record('gitea', c, issued ? 'live' : 'dead');
      if (!issued) {
        return c.json(
          { message: 'user does not exist [uid: 0, name: ]', url: `${new URL(c.req.url).origin}/api/swagger` },
          401,
        );
      }
      return c.json({
        id: 7,
        login: issued.account,
        login_name: '',
        full_name: 'Release Bot',
        email: `${issued.account}@noreply.git.acme.test`,
        avatar_url: `${new URL(c.req.url).origin}/gitea/avatars/7`,
        language: 'en-US',
        is_admin: false,
        last_login: '2026-11-02T08:14:11Z',
        created: '2025-03-18T10:02:45Z',
        restricted: false,
        active: true,
        prohibit_login: false,
        visibility: 'public',
      });
    });
    app.all('*', (c) => c.json({ message: 'Not Found', url: `${new URL(c.req.url).origin}/api/swagger` }, 404));
    return app;
  }

  /**
   * Vault `GET /v1/auth/token/lookup-self` and `POST /v1/auth/token/revoke-self`
   * with `X-Vault-Token`: 403 `permission denied` for an unknown or revoked token.
   */
  #vault(): Hono {
    const app = new Hono();
    const denied = (c: Context) => c.json({ errors: ['permission denied'] }, 403);
    app.get('/v1/auth/token/lookup-self', (c) => {
      const token = c.req.header('x-vault-token');
      const issued = this.#lookup('vault', token);
      this.#record('vault', c, issued ? 'live' : 'dead');
      if (!issued || !token) return denied(c);
      const created = Math.floor(Date.now() / 1000) - 86_400;
      return c.json({
        request_id: randomUUID(),
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: {
          accessor: 'hmWcJXCfMoJ8nTLsOgkW3Cw1',
          creation_time: created,
          creation_ttl: 2_764_800,
          display_name: issued.account,
          entity_id: '7d2e3e66-a2ae-4b3f-9c53-7f3c6a8e0d41',
          expire_time: new Date((created + 2_764_800) * 1000).toISOString(),
          explicit_max_ttl: 0,
          // Vault echoes the token itself here; leakwatch's verifier never reads this field.
          id: token,
          meta: { role_name: 'deploy' },
          num_uses: 0,
          orphan: true,
          path: 'auth/approle/login',
          policies: ['default', 'deploy-prod'],
          renewable: true,
          ttl: 2_678_400,
          type: 'service',
        },
        wrap_info: null,
        warnings: null,
        auth: null,
      });
    });
    app.post('/v1/auth/token/revoke-self', (c) => {
      const token = c.req.header('x-vault-token');
      if (!this.#lookup('vault', token) || !token) return denied(c);
      this.revoke(token);
      return c.body(null, 204);
    });
    app.all('*', (c) => c.json({ errors: [] }, 404));
    return app;
  }

  /** Grafana `GET /api/org` with a service account token as Bearer: the token's organisation, or 401. */
  #grafana(): Hono {
    const app = new Hono();
    app.get('/api/org', (c) => {
      const token = /^bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const issued = this.#lookup('grafana', token);
      this.#record('grafana', c, issued ? 'live' : 'dead');
      if (!issued) return c.json({ message: 'invalid API key', traceID: '' }, 401);
      return c.json({
        id: 1,
        name: issued.account,
        address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' },
      });
    });
    app.all('*', (c) => c.json({ message: 'Not found' }, 404));
    return app;
  }
}
