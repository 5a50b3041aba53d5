import type { Identity } from '../../src/db/schema.ts';
import type { GraphClient } from './graph-client.ts';
import { segment } from './graph-client.ts';
import { isNotFound } from './graph-errors.ts';

/** The Entra ID user fields leakwatch reads (User.Read.All). */
interface GraphUser {
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

export type ResolvedIdentity = Partial<Pick<Identity, 'email' | 'display_name' | 'slack_user_id' | 'active'>>;

/**
 * A guest's UPN (`jo_contoso.com#EXT#@tenant.onmicrosoft.com`) is not a
 * mailbox; a member's UPN usually is, and is the best address when `mail` is
 * empty (no Exchange licence).
 */
function emailOf(user: GraphUser): string | null {
  if (user.mail?.includes('@')) return user.mail.toLowerCase();
  const upn = user.userPrincipalName;
  if (upn && /^[^\s@#]+@[^\s@]+\.[^\s@]+$/.test(upn)) return upn.toLowerCase();
  return null;
}

/**
 * The Entra ID user behind a Teams author (`from.user.id`): email (for the
 * Slack DM or the Teams notice), name, and whether the account is enabled. A
 * user that no longer exists is reported inactive: nobody will rotate the
 * token, so it goes to the security channel.
 */
export async function lookupTeamsUser(graph: GraphClient, userId: string): Promise<ResolvedIdentity> {
  try {
    const user = await graph.get<GraphUser>(
      `/users/${segment(userId)}?$select=id,mail,userPrincipalName,accountEnabled,displayName`,
    );
    return {
      email: emailOf(user),
      display_name: user.displayName ?? null,
      // accountEnabled is null when the app may not read it: unknown is not "disabled".
      ...(typeof user.accountEnabled === 'boolean' ? { active: user.accountEnabled } : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return { active: false };
    throw error;
  }
}

/** `Integration.resolveIdentity` for Teams identities; other platforms' identities are not ours to answer. */
export function createTeamsIdentityResolver(graph: GraphClient) {
  return async (identity: Identity): Promise<ResolvedIdentity | null> => {
    if (identity.platform !== 'teams') return null;
    return lookupTeamsUser(graph, identity.platform_user_id);
  };
}

/** Looks up message authors once in a while rather than once per message. */
export interface AuthorDirectory {
  /** The author's email and name, or `undefined` when Graph cannot tell us right now. */
  lookup(userId: string): Promise<ResolvedIdentity | undefined>;
}

/**
 * A small in-process cache of Entra ID users for message intake, so documents
 * carry the author's email (the key to a Slack DM) from the first sighting.
 * Best effort: a failed lookup (throttled, no User.Read.All) leaves the email
 * out and is retried after a short pause; it never holds up a scan.
 */
export function createAuthorDirectory(
  graph: GraphClient,
  options: { now: () => Date; ttlMs?: number; failureTtlMs?: number; maxEntries?: number },
): AuthorDirectory {
  const ttlMs = options.ttlMs ?? 3600_000;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { value: ResolvedIdentity | undefined; until: number }>();
  return {
    async lookup(userId) {
      const now = options.now().getTime();
      const hit = cache.get(userId);
      if (hit && hit.until > now) return hit.value;
      let value: ResolvedIdentity | undefined;
      let until = now + ttlMs;
      try {
        value = await lookupTeamsUser(graph, userId);
      } catch {
        until = now + failureTtlMs;
      }
      // Map keeps insertion order: dropping the first entry drops the oldest.
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(userId, { value, until });
      return value;
    },
  };
}
