import {
  ConfidentialClientApplication,
  LogLevel,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { GraphThrottledError, retryAfterSeconds } from './graph-errors.ts';
import type { TeamsConfig } from './teams-config.ts';

/** Hands out an app-only access token for Graph; msal caches it and fetches a new one shortly before expiry. */
export interface GraphTokenSource {
  token(): Promise<string>;
}

/** Application permissions are requested as the resource's `.default` scope (client credentials flow). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Hosts msal-node knows by itself (hard-coded metadata, no discovery calls). */
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
]);

/**
 * msal's own HTTP client has no timeout on POSTs; this one bounds every
 * request and notes when Entra ID throttles us, so the caller can turn msal's
 * generic error into a `GraphThrottledError` with the server's Retry-After.
 */
class TimedNetworkModule implements INetworkModule {
  readonly #timeoutMs: number;
  readonly #now: () => Date;
  throttledUntil = 0;

  constructor(timeoutMs: number, now: () => Date) {
    this.#timeoutMs = timeoutMs;
    this.#now = now;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('POST', url, options);
  }

  async #send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (response.status === 429 || response.status === 503) {
      const wait = retryAfterSeconds(response.headers.get('retry-after'), this.#now());
      this.throttledUntil = this.#now().getTime() + wait * 1000;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `non-JSON answer (${response.status})` };
    }
    return { headers, body: body as T, status: response.status };
  }
}

/**
 * Client-credentials tokens from Entra ID through msal-node, with the
 * authority taken from GRAPH_LOGIN_URL. For a host msal does not know (a proxy
 * or a local fake) the host is declared a known authority, so msal skips
 * Microsoft's instance discovery and reads the tenant's
 * `/v2.0/.well-known/openid-configuration` from that host instead.
 */
export function createGraphTokenSource(
  config: TeamsConfig,
  options: { timeoutMs?: number; now?: () => Date } = {},
): GraphTokenSource {
  const now = options.now ?? (() => new Date());
  const network = new TimedNetworkModule(options.timeoutMs ?? 15_000, now);
  const loginHost = new URL(config.graphLoginUrl).host;
  const credential = config.credential;
  const auth: Configuration['auth'] = {
    clientId: config.clientId,
    authority: `${config.graphLoginUrl}/${encodeURIComponent(config.tenantId)}`,
    ...(MICROSOFT_LOGIN_HOSTS.has(loginHost) ? {} : { knownAuthorities: [loginHost] }),
    ...(credential.kind === 'secret'
      ? { clientSecret: credential.secret.reveal() }
      : {
          clientCertificate: {
            privateKey: credential.privateKey.reveal(),
            ...(credential.thumbprintSha256
              ? { thumbprintSha256: credential.thumbprintSha256 }
              : { thumbprint: credential.thumbprintSha1 }),
          },
        }),
  };
  const app = new ConfidentialClientApplication({
    auth,
    system: {
      networkClient: network,
      // Throttling is the job queue's business (reschedule), not a blocking retry inside msal.
      disableInternalRetries: true,
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  });
  return {
    async token() {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
        if (!result?.accessToken) throw new Error('Entra ID returned no access token');
        return result.accessToken;
      } catch (error) {
        const waitMs = network.throttledUntil - now().getTime();
        if (waitMs > 0) throw new GraphThrottledError(429, Math.ceil(waitMs / 1000), 'Entra ID token request');
        // msal errors carry codes like `invalid_client`; the message never holds the credential.
        const code = (error as { errorCode?: string }).errorCode;
        throw new Error(`Entra ID token request failed${code ? ` (${code})` : ''}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  };
}
