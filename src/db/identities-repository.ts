import type { DocumentAuthor } from '../core/document.ts';
import type { Executor } from './executor.ts';

/**
 * Returns the identity id for a platform user, creating or enriching the row
 * (email, name) as authors are seen. Existing values are kept when the new
 * event lacks them; an admin's edits are not overwritten with nulls.
 */
export async function upsertAuthorIdentity(
  db: Executor,
  platform: string,
  author: DocumentAuthor | undefined,
): Promise<string | null> {
  if (!author?.id) return null;
  const row = await db
    .insertInto('identities')
    .values({
      platform,
      platform_user_id: author.id,
      email: author.email ?? null,
      display_name: author.name ?? null,
      slack_user_id: platform === 'slack' ? author.id : null,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'platform_user_id']).doUpdateSet((eb) => ({
        email: eb.fn.coalesce('identities.email', 'excluded.email'),
        display_name: eb.fn.coalesce('identities.display_name', 'excluded.display_name'),
        updated_at: new Date(),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
