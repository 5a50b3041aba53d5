import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { API_SCOPES, createApiKey, type ApiScope } from '../db/api-keys-repository.ts';
import { writeAudit } from '../db/audit-repository.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { CommandIo } from './command-io.ts';

export const KEYS_USAGE = `Usage: leakwatch keys create --name NAME --scopes SCOPE,SCOPE

Creates an API key and prints it once (only its hash is stored).
Scopes: ${API_SCOPES.join(', ')}`;

export async function runKeys(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(KEYS_USAGE);
    return 0;
  }
  if (positionals[0] !== 'create')
    throw new LeakwatchError(ErrorCode.InputInvalid, `expected "create"\n\n${KEYS_USAGE}`);
  const name = values.name?.trim();
  if (!name || name.length > 100)
    throw new LeakwatchError(ErrorCode.InputInvalid, '--name is required (1-100 characters)');
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new LeakwatchError(
      ErrorCode.InputInvalid,
      `--scopes must list one or more of ${API_SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  const config = loadConfig(io.env);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
    const { key, record } = await handle.db.transaction().execute(async (trx) => {
      const created = await createApiKey(trx, { name, scopes: scopes as ApiScope[] });
      await writeAudit(trx, {
        actor: 'cli',
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: created.record.id,
        details: { name, scopes, prefix: created.record.prefix },
      });
      return created;
    });
    io.stdout(key);
    io.stderr(
      `created API key "${record.name}" (${record.prefix}…) with scopes ${record.scopes.join(', ')}; it is shown only once`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}
