import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Repositories take either the database or a transaction, so callers decide the transaction boundary. */
export type Executor = Kysely<Database> | Transaction<Database>;
