import { CompiledQuery } from 'kysely';
import type { Executor } from '../db/executor.ts';

/**
 * Lets pg-boss write through a Kysely transaction (`boss.send(queue, data, { db: jobDb(trx) })`),
 * so a requested action, its audit row and its job commit or roll back together.
 */
export function jobDb(trx: Executor) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}
