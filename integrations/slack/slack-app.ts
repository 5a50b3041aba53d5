import { App, ReceiverMultipleAckError, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Hono } from 'hono';
import type { Logger } from '../../src/logger.ts';
import type { SlackEventStore } from './event-dedupe.ts';
import { HonoReceiver } from './hono-receiver.ts';
import type { SlackEventEnvelope } from './message-events.ts';
import { slackClientOptions, toSlackLogger, type SlackWorkspace } from './slack-client.ts';
import type { SlackConfig } from './slack-config.ts';

/** What the Socket Mode client hands to `slack_event` listeners. */
export interface SocketModeDelivery {
  ack(response?: unknown): Promise<void>;
  body: unknown;
  retry_num?: number;
  retry_reason?: string;
}

function isEventEnvelope(body: unknown): body is SlackEventEnvelope {
  const b = body as Partial<SlackEventEnvelope> | null;
  return (
    b !== null &&
    typeof b === 'object' &&
    b.type === 'event_callback' &&
    typeof b.event_id === 'string' &&
    typeof b.event === 'object'
  );
}

/**
 * One Socket Mode envelope, with the same guarantee as HTTP: an Events API
 * payload is stored before its envelope is acknowledged; when storing fails
 * the envelope stays unacknowledged and Slack delivers it again.
 */
export async function handleSocketModeDelivery(
  app: App,
  storeEvent: SlackEventStore,
  logger: Logger,
  delivery: SocketModeDelivery,
): Promise<void> {
  const retryNum = delivery.retry_num;
  const retryReason = delivery.retry_reason;
  try {
    if (isEventEnvelope(delivery.body)) {
      const stored = await storeEvent(delivery.body, { retryNum, retryReason });
      await delivery.ack();
      if (stored !== 'duplicate') {
        await app.processEvent({ body: delivery.body, retryNum, retryReason, ack: async () => {} });
      }
      return;
    }
    let acknowledged = false;
    const event: ReceiverEvent = {
      body: delivery.body as ReceiverEvent['body'],
      retryNum,
      retryReason,
      ack: async (response?: unknown) => {
        if (acknowledged) throw new ReceiverMultipleAckError();
        acknowledged = true;
        await delivery.ack(response);
      },
    };
    await app.processEvent(event);
  } catch (error) {
    logger.error({ err: error }, 'a Slack Socket Mode event could not be handled');
  }
}

/**
 * Socket Mode transport (SLACK_APP_TOKEN): Slack pushes payloads over a
 * WebSocket the app opens, so no public URL is needed. Bolt's own
 * SocketModeReceiver acknowledges before listeners run; this one stores first.
 */
export class SocketModeEventReceiver implements Receiver {
  readonly #client: SocketModeClient;
  #app: App | undefined;

  constructor(options: { appToken: string; config: SlackConfig; storeEvent: SlackEventStore; logger: Logger }) {
    const { logger: _quiet, ...clientOptions } = slackClientOptions(options.config, options.logger);
    this.#client = new SocketModeClient({
      appToken: options.appToken,
      logger: toSlackLogger(options.logger, 'slack-socket-mode'),
      clientOptions,
    });
    this.#client.on('slack_event', (delivery: SocketModeDelivery) => {
      if (!this.#app) return;
      void handleSocketModeDelivery(this.#app, options.storeEvent, options.logger, delivery);
    });
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<unknown> {
    return this.#client.start();
  }

  async stop(): Promise<void> {
    await this.#client.disconnect();
  }
}

export interface SlackAppOptions {
  config: SlackConfig;
  logger: Logger;
  storeEvent: SlackEventStore;
  /** The bot's identity, for Bolt's context (and its ignore-own-messages middleware). */
  workspace: () => Promise<SlackWorkspace>;
  /** Clock for request signatures (tests). */
  now?: () => Date;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** HTTP mode: `/slack/events`, `/slack/interactions`, `/slack/commands`. */
  routes?: Hono;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app: over HTTP behind the Hono receiver, or over Socket Mode when
 * SLACK_APP_TOKEN is set. Single workspace: every payload is authorized with
 * the bot token, the bot's ids come from `auth.test` (asked once).
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, logger, storeEvent } = options;
  let receiver: HonoReceiver | SocketModeEventReceiver;
  if (config.appToken) {
    receiver = new SocketModeEventReceiver({ appToken: config.appToken, config, storeEvent, logger });
  } else {
    if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required without SLACK_APP_TOKEN');
    receiver = new HonoReceiver({ signingSecret: config.signingSecret, storeEvent, logger, now: options.now });
  }
  const app = new App({
    receiver,
    authorize: async () => {
      const workspace = await options.workspace();
      return {
        botToken: config.botToken,
        botId: workspace.botId,
        botUserId: workspace.botUserId,
        teamId: workspace.teamId,
      };
    },
    logger: toSlackLogger(logger, 'slack-bolt'),
    clientOptions: slackClientOptions(config, logger),
    // Conversation state is not used; the in-memory store would only grow.
    convoStore: false,
  });
  app.error(async (error) => {
    logger.warn({ err: error }, 'Slack listener error');
    throw error;
  });
  return {
    app,
    mode: receiver instanceof HonoReceiver ? 'http' : 'socket',
    routes: receiver instanceof HonoReceiver ? receiver.routes : undefined,
    start: async () => {
      await app.start();
    },
    stop: async () => {
      await app.stop();
    },
  };
}
