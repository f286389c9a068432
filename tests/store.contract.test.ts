/**
 * The Store contract (src/store/store.ts), run against SQLite and a throwaway PostgreSQL cluster
 * (tests/kit/postgres.ts; skipped with a message where PostgreSQL is not installed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open.js';
import type { NewDocument, Store } from '../src/store/store.js';
import { startPostgres, type TestPostgres } from './kit/postgres.js';

let pgc: TestPostgres | null = null;
beforeAll(async () => {
  pgc = await startPostgres();
});
afterAll(() => pgc?.stop());

function doc(id: string, over: Partial<NewDocument> = {}): NewDocument {
  const text = `Titel ${id}\n\nErster Satz von ${id}. Zweiter Satz.\n\nDritter Absatz.`;
  return {
    id, scope: null, title: `T ${id}`, date: null, source: `${id}.txt`, language: 'de', text, bodyStart: 0, pages: null,
    paragraphs: [
      { start: 0, end: 8, terms: 'titel', chunks: [{ start: 0, end: 8, terms: 'titel', hash: `h${id}0` }] },
      { start: 10, end: 45, terms: 'erst satz', chunks: [{ start: 10, end: 30, terms: 'erst', hash: `h${id}1` }, { start: 30, end: 45, terms: 'satz', hash: `h${id}2` }] },
    ],
    ...over,
  };
}

async function open(kind: 'sqlite' | 'postgres'): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-store-'));
  return openStore({ DATA_DIR: dir, DATABASE_URL: kind === 'postgres' ? await pgc!.newDatabase() : undefined });
}

describe.each(['sqlite', 'postgres'] as const)('Store contract: %s', (kind) => {
  it('stores a document whole, logs add/remove in order, replaces by source, and is idempotent', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      expect(await s.lastSeq()).toBe(0);
      const put = await s.putDocument(doc('a'));
      expect(put.status).toBe('added');
      expect(put.chunkIds).toHaveLength(3);
      expect(await s.putDocument(doc('a'))).toEqual({ status: 'unchanged', chunkIds: [] });
      const texts = await s.chunkTexts([...put.chunkIds].reverse());
      const t = doc('a').text;
      expect(texts.sort((x, y) => x.id - y.id).map((c) => c.text)).toEqual([t.slice(0, 8), t.slice(10, 30), t.slice(30, 45)]);
      expect(texts.map((c) => c.hash)).toEqual(['ha0', 'ha1', 'ha2']);
      const rows = await s.indexRows(['a']);
      expect(rows.documents[0].text).toBe(doc('a').text);
      expect(rows.paragraphs).toHaveLength(2);
      expect(rows.chunks.map((c) => c.id)).toEqual(put.chunkIds);
      expect(rows.chunks.every((c) => rows.paragraphs.some((p) => p.id === c.paragraph_id))).toBe(true);
      // Same source in the same scope: the new version replaces the old in one transaction.
      const v2 = await s.putDocument(doc('b', { source: 'a.txt' }), { source: 'a.txt', title: 'T b' });
      expect(v2).toMatchObject({ status: 'replaced', replaced: 'a' });
      expect(await s.getDocument('a')).toBeUndefined();
      expect((await s.chunkTexts(put.chunkIds))).toEqual([]);
      // A guild's document with that source is not a version of the shared one.
      expect((await s.putDocument(doc('g', { scope: 'guild1', source: 'a.txt' }), { source: 'a.txt', title: 'x' })).status).toBe('added');
      expect((await s.listDocuments(null)).map((d) => d.id)).toEqual(['b']);
      expect((await s.listDocuments('guild1')).map((d) => d.id).sort()).toEqual(['b', 'g']);
      // Remove: scope-checked, logged, bundled files remembered.
      expect(await s.removeDocument('g', null)).toBeUndefined();
      expect((await s.removeDocument('g', 'guild1'))?.id).toBe('g');
      await s.putDocument(doc('c', { source: 'corpus/c.txt' }));
      await s.removeDocument('c');
      expect([...(await s.removedBundled())]).toEqual(['corpus/c.txt']);
      const log = await s.changesSince(0);
      expect(log.map((c) => `${c.op}:${c.docId}`)).toEqual(['add:a', 'remove:a', 'add:b', 'add:g', 'remove:g', 'add:c', 'remove:c']);
      expect(log.map((c) => c.seq)).toEqual([...log.map((c) => c.seq)].sort((x, y) => x - y));
      expect(await s.lastSeq()).toBe(log[log.length - 1].seq);
      expect((await s.changesSince(log[2].seq)).map((c) => c.docId)).toEqual(['g', 'g', 'c', 'c']);
      expect(await s.chunkCounts(['b', 'nope'])).toEqual(new Map([['b', 3]]));
    } finally {
      await s.close();
    }
  });

  it('a failed write leaves nothing behind: no document, paragraph, chunk or change-log row', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      await s.putDocument(doc('a'));
      const seq = await s.lastSeq();
      // The last chunk violates NOT NULL, after the document and its paragraphs were inserted.
      const bad = doc('b', { source: 'a.txt' });
      (bad.paragraphs[1].chunks[1] as { hash: unknown }).hash = null;
      await expect(s.putDocument(bad, { source: 'a.txt', title: 'T b' })).rejects.toThrow(/storing document b/);
      expect(await s.getDocument('b')).toBeUndefined();
      expect((await s.getDocument('a'))?.id).toBe('a'); // the version it would have replaced is still there
      expect(await s.lastSeq()).toBe(seq);
      const rows = await s.indexRows();
      expect(rows.documents.map((d) => d.id)).toEqual(['a']);
      expect(rows.paragraphs.every((p) => p.doc_id === 'a')).toBe(true);
      expect(rows.chunks.every((c) => c.doc_id === 'a')).toBe(true);
      expect(rows.chunks).toHaveLength(3);
    } finally {
      await s.close();
    }
  });

  it('chunk texts are the JavaScript slices of the document text, also after characters outside the BMP', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      const text = '😀😀 Titel\n\nDer 🚀 Satz danach.';
      const p2 = text.indexOf('Der');
      const put = await s.putDocument(doc('e', { text, paragraphs: [{ start: 0, end: 8, terms: 'titel', chunks: [{ start: 0, end: 8, terms: 'titel', hash: 'he0' }] }, { start: p2, end: text.length, terms: 'satz', chunks: [{ start: p2, end: text.length, terms: 'satz', hash: 'he1' }] }] }));
      const got = (await s.chunkTexts(put.chunkIds)).sort((x, y) => x.id - y.id).map((c) => c.text);
      expect(got).toEqual([text.slice(0, 8), text.slice(p2)]);
      expect(got[1]).toBe('Der 🚀 Satz danach.');
    } finally {
      await s.close();
    }
  });

  it('lists the catalogue (text and chunk counts) and forgets removed bundled files', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      await s.putDocument(doc('a'));
      await s.putDocument(doc('c', { source: 'corpus/c.txt', scope: null }));
      await s.putDocument(doc('g', { scope: 'guild1' }));
      const cat = await s.catalogRows();
      expect(cat.map((r) => [r.id, r.chunks, r.text === doc(r.id).text, r.scope])).toEqual([
        ['a', 3, true, null],
        ['c', 3, true, null],
        ['g', 3, true, 'guild1'],
      ]);
      await s.removeDocument('c');
      expect([...(await s.removedBundled())]).toEqual(['corpus/c.txt']);
      await s.forgetRemovedBundled(['corpus/c.txt', 'corpus/never.txt']);
      expect([...(await s.removedBundled())]).toEqual([]);
      expect((await s.catalogRows()).map((r) => r.id)).toEqual(['a', 'g']);
    } finally {
      await s.close();
    }
  });
});
