import { Secret } from '../core/secret.ts';
import type { HookConfig } from '../revocation/hook-config.ts';
import { deliverHook } from '../revocation/hook-delivery.ts';
import { redactSecret } from '../detection/redact.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { HOOK_RETRY_LIMIT, QUEUES, type HookJob } from './queues.ts';

/**
 * hook: sends one recorded delivery. A retryable failure is thrown so pg-boss
 * retries with backoff; when the receiver sent Retry-After, a fresh job is
 * scheduled for then instead. The last attempt records the delivery as failed.
 */
export async function handleHook(
  ctx: PipelineContext,
  hooks: readonly HookConfig[],
  job: HookJob,
  attempt: number,
): Promise<string> {
  const row = await ctx.db
    .selectFrom('hook_deliveries')
    .select(['hook'])
    .where('id', '=', job.deliveryId)
    .executeTakeFirst();
  if (!row) return 'missing';
  const hook = hooks.find((h) => h.name === row.hook);
  if (!hook) return 'hook no longer configured';
  let secret: Secret | undefined;
  if (hook.includeSecret && job.sealedSecret) {
    const raw = ctx.transit.open(job.sealedSecret);
    secret = new Secret(raw, redactSecret(raw));
  }
  const outcome = await deliverHook(ctx.db, hook, job.deliveryId, job.event, secret, {
    maxAttempts: HOOK_RETRY_LIMIT + 1,
  });
  if (outcome.result !== 'retry') return outcome.result;
  if (outcome.retryAfterSeconds !== undefined && attempt < HOOK_RETRY_LIMIT) {
    await ctx.boss.send(QUEUES.hook, job, {
      singletonKey: `${job.deliveryId}:${attempt + 1}`,
      startAfter: new Date(ctx.now().getTime() + outcome.retryAfterSeconds * 1000),
    });
    return 'rescheduled';
  }
  throw new Error(`hook ${hook.name} delivery failed, will retry: ${outcome.error}`);
}
