import { describe, expect, it } from 'vitest';
import { contentDocument, itemOf, parseItem } from './page-documents.ts';

describe('Confluence items', () => {
  it('names current and historical versions and reads the names back', () => {
    expect(itemOf({ kind: 'page', id: '123' })).toBe('page:123');
    expect(itemOf({ kind: 'blogpost', id: '9' }, 4)).toBe('blogpost:9@v4');
    expect(parseItem('page:123@v2')).toEqual({ ref: { kind: 'page', id: '123' }, version: 2 });
    expect(parseItem('comment:77')).toEqual({ ref: { kind: 'comment', id: '77' } });
    expect(parseItem('issue:PROJ-1')).toBeUndefined();
    expect(parseItem('page:1@v')).toBeUndefined();
  });

  it('turns a historical version into an xhtml document with its own item, version, author and link', () => {
    const doc = contentDocument(
      'acme.atlassian.net',
      {
        ref: { kind: 'page', id: '123' },
        title: 'Runbook',
        spaceKey: 'ENG',
        version: 2,
        body: '<p>x</p>',
        author: { id: 'acc-1' },
        createdAt: '2026-11-20T10:00:00.000Z',
        url: 'https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=123&pageVersion=2',
      },
      true,
    );
    expect(doc).toEqual({
      format: 'xhtml',
      text: '<p>x</p>',
      ref: {
        platform: 'confluence',
        workspace: 'acme.atlassian.net',
        container: 'ENG',
        item: 'page:123@v2',
        version: '2',
        url: 'https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=123&pageVersion=2',
        author: { id: 'acc-1' },
        occurredAt: '2026-11-20T10:00:00.000Z',
      },
    });
  });
});
