import type { Executor } from './executor.ts';
import type { Finding } from './schema.ts';

export async function getFinding(db: Executor, id: string): Promise<Finding | undefined> {
  return db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
}
