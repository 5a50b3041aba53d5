import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-26T00-00-initial.ts';
import * as integrations from './2026-11-26T01-00-integrations.ts';
import * as notificationClaims from './2026-11-26T02-00-notification-claims.ts';

/** Every migration in order, by name (ISO-dated). Listed explicitly so nothing depends on reading a directory at run time. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T00-00-initial': initial,
  '2026-11-26T01-00-integrations': integrations,
  '2026-11-26T02-00-notification-claims': notificationClaims,
};
