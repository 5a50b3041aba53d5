import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import type { SlackEventStore } from './event-dedupe.ts';
import { createSlackApp, handleSocketModeDelivery } from './slack-app.ts';
import { loadSlackConfig } from './slack-config.ts';

const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const APP_TOKEN = 'xapp-1-A0LEAKWTCH-1234567890-abcdef0123456789';
const logs: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
const workspace = async () => ({
  teamId: 'T0ACME0001',
  url: 'https://acme.slack.com/',
  botUserId: 'U0LEAKBOT1',
  botId: 'B0LEAKBOT1',
});

function socketApp(store: SlackEventStore) {
  const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN })!;
  return createSlackApp({ config, logger, storeEvent: store, workspace });
}

const envelope = {
  token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
  team_id: 'T0ACME0001',
  api_app_id: 'A0LEAKWTCH',
  type: 'event_callback',
  event_id: 'Ev0SOCKET01',
  event_time: 1768471200,
  event: {
    type: 'message',
    channel: 'C0GENERAL1',
    user: 'U0ALICE001',
    text: 'hello',
    ts: '1768471200.000100',
    event_ts: '1768471200.000100',
    channel_type: 'channel',
  },
  authorizations: [{ team_id: 'T0ACME0001', user_id: 'U0LEAKBOT1', is_bot: true, is_enterprise_install: false }],
};

describe('Socket Mode', () => {
  it('uses Socket Mode when SLACK_APP_TOKEN is set, HTTP routes otherwise', () => {
    const socket = socketApp(async () => 'stored');
    expect(socket.mode).toBe('socket');
    expect(socket.routes).toBeUndefined();
    const httpConfig = loadSlackConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
    })!;
    const http = createSlackApp({ config: httpConfig, logger, storeEvent: async () => 'stored', workspace });
    expect(http.mode).toBe('http');
    expect(http.routes).toBeDefined();
  });

  it('stores an event before acknowledging its envelope, then lets listeners see it', async () => {
    const order: string[] = [];
    const store: SlackEventStore = async (body, delivery) => {
      order.push(`store ${body.event_id} retry=${delivery.retryNum}`);
      return 'stored';
    };
    const slack = socketApp(store);
    slack.app.event('message', async ({ event }) => {
      order.push(`listener ${'ts' in event ? event.ts : ''}`);
    });
    await handleSocketModeDelivery(slack.app, store, logger, {
      body: envelope,
      retry_num: 0,
      ack: async () => {
        order.push('ack');
      },
    });
    expect(order).toEqual(['store Ev0SOCKET01 retry=0', 'ack', 'listener 1768471200.000100']);
  });

  it('leaves the envelope unacknowledged when the event cannot be stored, so Slack delivers it again', async () => {
    let acked = false;
    const slack = socketApp(async () => 'stored');
    await handleSocketModeDelivery(
      slack.app,
      async () => {
        throw new Error('database is unavailable');
      },
      logger,
      {
        body: envelope,
        ack: async () => {
          acked = true;
        },
      },
    );
    expect(acked).toBe(false);
    expect(logs.some((l) => l.includes('a Slack Socket Mode event could not be handled'))).toBe(true);
  });

  it('acknowledges a duplicate without running listeners again', async () => {
    let listened = 0;
    let acked = 0;
    const slack = socketApp(async () => 'duplicate');
    slack.app.event('message', async () => {
      listened++;
    });
    await handleSocketModeDelivery(slack.app, async () => 'duplicate', logger, {
      body: envelope,
      retry_num: 1,
      retry_reason: 'timeout',
      ack: async () => {
        acked++;
      },
    });
    expect({ acked, listened }).toEqual({ acked: 1, listened: 0 });
  });

  it('passes what a listener acknowledges back over the socket', async () => {
    const slack = socketApp(async () => 'stored');
    slack.app.command('/leakwatch-test', async ({ ack }) => {
      await ack({ text: 'ok' });
    });
    const acks: unknown[] = [];
    await handleSocketModeDelivery(slack.app, async () => 'stored', logger, {
      body: {
        command: '/leakwatch-test',
        text: '',
        user_id: 'U0ALICE001',
        team_id: 'T0ACME0001',
        channel_id: 'C0GENERAL1',
      },
      ack: async (response) => {
        acks.push(response);
      },
    });
    expect(acks).toEqual([{ text: 'ok' }]);
  });
});
