import type { Identity } from '../../src/db/schema.ts';
import type { JiraClient } from './jira-client.ts';

export type ResolvedIdentity = Partial<Pick<Identity, 'email' | 'display_name' | 'slack_user_id' | 'active'>>;

/**
 * Looks up the Jira user behind an identity (`platform_user_id` is the Cloud
 * accountId or the Data Center user key): email when the profile shows it,
 * display name and whether the account is active. An account Jira no longer
 * knows (404) is reported inactive, so its leaks escalate to the security
 * channel instead of waiting for an owner who cannot act.
 */
export async function resolveJiraIdentity(client: JiraClient, identity: Identity): Promise<ResolvedIdentity | null> {
  if (identity.platform !== 'jira') return null;
  const user = await client.getUser(identity.platform_user_id);
  if (user === null) return { active: false };
  const out: ResolvedIdentity = { active: user.active };
  if (user.email) out.email = user.email;
  if (user.displayName) out.display_name = user.displayName;
  return out;
}
