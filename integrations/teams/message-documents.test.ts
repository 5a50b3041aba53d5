import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { attachmentTexts } from './attachment-text.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import {
  locationFromRef,
  messageDocument,
  messagePath,
  messageText,
  parseResource,
  type MessageLocation,
} from './message-documents.ts';
import {
  CHANNEL,
  CHAT,
  channelMessage,
  chatMessage,
  GITHUB_TOKEN,
  GRAPH,
  OTHER_GITHUB_TOKEN,
  TEAM,
  teamsTestConfig,
  TENANT,
  tokenEndpoint,
  USER,
} from './teams-test-harness.ts';

const server = useMswServer();
const scanner = createScanner({ detectors, fingerprintKey: 'teams-documents-test-key-0123456789abcdef' });

function graph() {
  const config = teamsTestConfig();
  return createGraphClient({ baseUrl: config.graphApiUrl, tokens: createGraphTokenSource(config) });
}

describe('notification resources and locations', () => {
  it('parses channel posts, replies and chat messages in Graph notation and as paths', () => {
    expect(parseResource(`teams('${TEAM}')/channels('${CHANNEL}')/messages('1612293113399')`)).toEqual({
      kind: 'channel',
      teamId: TEAM,
      channelId: CHANNEL,
      messageId: '1612293113399',
    });
    expect(
      parseResource(`teams('${TEAM}')/channels('${CHANNEL}')/messages('1612293113399')/replies('1612293113500')`),
    ).toEqual({
      kind: 'channel',
      teamId: TEAM,
      channelId: CHANNEL,
      parentId: '1612293113399',
      messageId: '1612293113500',
    });
    expect(parseResource(`chats('${CHAT}')/messages('1612289765949')`)).toEqual({
      kind: 'chat',
      chatId: CHAT,
      messageId: '1612289765949',
    });
    expect(parseResource(`/chats/${encodeURIComponent(CHAT)}/messages/1612289765949`)).toEqual({
      kind: 'chat',
      chatId: CHAT,
      messageId: '1612289765949',
    });
    expect(parseResource(`users('${USER}')/messages('AAMk')`)).toBeUndefined();
    expect(parseResource(`teams('${TEAM}')/channels('${CHANNEL}')`)).toBeUndefined();
  });

  it('builds encoded Graph paths and maps occurrences back to messages', () => {
    const reply: MessageLocation = {
      kind: 'channel',
      teamId: TEAM,
      channelId: CHANNEL,
      parentId: '100',
      messageId: '200',
    };
    expect(messagePath(reply)).toBe(
      `/teams/${TEAM}/channels/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/messages/100/replies/200`,
    );
    const doc = messageDocument(TENANT, reply, channelMessage({ id: '200', replyToId: '100' }), []);
    expect(doc.ref).toMatchObject({
      platform: 'teams',
      workspace: TENANT,
      container: `team:${TEAM}/channel:${CHANNEL}`,
      item: '100/200',
    });
    expect(locationFromRef(doc.ref.container, doc.ref.item)).toEqual(reply);
    const chat: MessageLocation = { kind: 'chat', chatId: CHAT, messageId: '300' };
    const chatDoc = messageDocument(TENANT, chat, chatMessage({ id: '300', chatId: CHAT }), []);
    expect(chatDoc.ref).toMatchObject({ container: `chat:${CHAT}`, item: '300' });
    expect(locationFromRef(chatDoc.ref.container, chatDoc.ref.item)).toEqual(chat);
    expect(locationFromRef('jira:ENG', 'ENG-1')).toBeUndefined();
  });
});

describe('message documents', () => {
  it('keeps HTML bodies as html so a token in a code block is found with offsets into the markup', () => {
    const content =
      '<div><p>deploy with</p><pre><code class="language-bash">export GH_TOKEN=' +
      GITHUB_TOKEN +
      '</code></pre><codeblock class="Bash"><code>echo &quot;done&quot;</code></codeblock></div>';
    const message = channelMessage({
      id: '1606515483514',
      body: { contentType: 'html', content },
      lastModifiedDateTime: '2025-11-27T22:18:03.514Z',
      lastEditedDateTime: '2025-11-27T22:20:00.000Z',
    });
    const doc = messageDocument(
      TENANT,
      { kind: 'channel', teamId: TEAM, channelId: CHANNEL, messageId: message.id },
      message,
      [],
    );
    expect(doc.format).toBe('html');
    expect(doc.ref).toMatchObject({
      version: '2025-11-27T22:18:03.514Z',
      url: message.webUrl,
      author: { id: USER, name: 'Robin Kline' },
      occurredAt: '2025-11-27T22:20:00.000Z',
    });
    const matches = scanner.scan(doc.text, { format: 'html' });
    expect(matches.map((m) => m.detectorId)).toContain('github-classic-pat');
    const match = matches.find((m) => m.detectorId === 'github-classic-pat')!;
    expect(doc.text.slice(match.start, match.end)).toBe(GITHUB_TOKEN);
  });

  it('uses format plain for text bodies and adds subject and attachment text as their own blocks', () => {
    const message = channelMessage({
      id: '1',
      subject: 'release <b>notes</b>',
      body: { contentType: 'text', content: 'see card' },
    });
    expect(messageText(message, ['card text'])).toEqual({
      text: 'release <b>notes</b>\nsee card\ncard text',
      format: 'plain',
    });
    const html = messageText({ ...message, body: { contentType: 'html', content: '<p>hi</p>' } }, ['a <script> & b']);
    expect(html).toEqual({
      text: '<div>release &lt;b&gt;notes&lt;/b&gt;</div><p>hi</p><div>a &lt;script&gt; &amp; b</div>',
      format: 'html',
    });
  });

  it('turns a deleted message into an empty text under the same reference', () => {
    const location: MessageLocation = { kind: 'chat', chatId: CHAT, messageId: '1616964509832' };
    const deleted = chatMessage({
      id: '1616964509832',
      chatId: CHAT,
      deletedDateTime: '2025-11-28T10:00:00.000Z',
      body: { contentType: 'html', content: `<p>${GITHUB_TOKEN}</p>` },
    });
    const doc = messageDocument(TENANT, location, deleted, []);
    expect(doc.text).toBe('');
    expect(doc.ref).toMatchObject({
      container: `chat:${CHAT}`,
      item: '1616964509832',
      version: '2025-11-28T10:00:00.000Z',
    });
  });
});

describe('attachment text', () => {
  it('reads card contents, file references and code snippets from hosted contents', async () => {
    const snippetUrl = `${GRAPH}/chats/${CHAT}/messages/1616964509832/hostedContents/aWQ9eF8wLXd1cy1kOS1lNTRm/$value`;
    let snippetAuth: string | null = null;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:message/hostedContents/:hosted/$value`, ({ request }) => {
        snippetAuth = request.headers.get('authorization');
        return new HttpResponse(`aws configure\nexport GITHUB_TOKEN=${OTHER_GITHUB_TOKEN}\n`, {
          headers: { 'content-type': 'text/plain' },
        });
      }),
    );
    const message = chatMessage({
      id: '1616964509832',
      chatId: CHAT,
      body: { contentType: 'html', content: '<p>config below</p><attachment id="snip-1"></attachment>' },
      attachments: [
        {
          id: 'snip-1',
          contentType: 'application/vnd.microsoft.card.codesnippet',
          content: JSON.stringify({ language: 'bash', wrap: true, codeSnippetUrl: snippetUrl }),
          contentUrl: null,
          name: null,
        },
        {
          id: 'card-1',
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: JSON.stringify({
            type: 'AdaptiveCard',
            body: [
              { type: 'TextBlock', text: 'Build failed' },
              { type: 'FactSet', facts: [{ title: 'token', value: GITHUB_TOKEN }] },
            ],
          }),
          contentUrl: null,
          name: null,
        },
        {
          id: '5f0b3a6c',
          contentType: 'reference',
          contentUrl: 'https://contoso.sharepoint.com/sites/eng/Shared%20Documents/deploy.env',
          content: null,
          name: 'deploy.env',
        },
      ],
    });
    const texts = await attachmentTexts(graph(), message);
    expect(snippetAuth).toBe('Bearer app-token');
    expect(texts).toContain(`aws configure\nexport GITHUB_TOKEN=${OTHER_GITHUB_TOKEN}\n`);
    expect(texts).toContain(GITHUB_TOKEN);
    expect(texts).toContain('deploy.env');
    expect(texts).toContain('https://contoso.sharepoint.com/sites/eng/Shared%20Documents/deploy.env');
    const { text, format } = messageText(message, texts);
    const found = scanner.scan(text, { format }).map((m) => m.secret.reveal());
    expect(found).toEqual(expect.arrayContaining([GITHUB_TOKEN, OTHER_GITHUB_TOKEN]));
  });

  it('never sends the app token to a code snippet URL outside Graph', async () => {
    // No handler for evil.example: msw fails the test if a request is made.
    server.use(tokenEndpoint());
    const message = chatMessage({
      id: '2',
      attachments: [
        {
          id: 'snip',
          contentType: 'application/vnd.microsoft.card.codesnippet',
          content: JSON.stringify({
            codeSnippetUrl: 'https://evil.example/v1.0/chats/x/messages/y/hostedContents/z/$value',
          }),
        },
        {
          id: 'snip2',
          contentType: 'application/vnd.microsoft.card.codesnippet',
          content: JSON.stringify({ codeSnippetUrl: `${GRAPH}/users/${USER}` }),
        },
      ],
    });
    expect(await attachmentTexts(graph(), message)).toEqual([]);
  });

  it('skips a snippet whose hosted content is gone but keeps the rest', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:message/hostedContents/:hosted/$value`, () =>
        HttpResponse.json({ error: { code: 'NotFound', message: 'hosted content not found' } }, { status: 404 }),
      ),
    );
    const message = chatMessage({
      id: '3',
      attachments: [
        {
          id: 'snip',
          contentType: 'application/vnd.microsoft.card.codesnippet',
          content: JSON.stringify({ codeSnippetUrl: `${GRAPH}/chats/${CHAT}/messages/3/hostedContents/abc/$value` }),
        },
        {
          id: 'quote',
          contentType: 'messageReference',
          content: JSON.stringify({ messagePreview: 'old text', messageSender: { user: { displayName: 'Jo' } } }),
        },
      ],
    });
    expect(await attachmentTexts(graph(), message)).toEqual(['old text', 'Jo']);
  });
});
