/**
 * The Store contract (src/store/store.ts), with its embedding cache and feedback votes, run
 * against SQLite and a throwaway PostgreSQL cluster (tests/kit/postgres.ts; skipped with a message
 * where PostgreSQL is not installed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.js';
import { openStore } from '../src/store/open.js';
import type { NewDocument, Store } from '../src/store/store.js';
import type { FeedbackInput } from '../src/store/feedback.js';
import type { Citation } from '../src/answer/types.js';
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

/** Where a test's store lives: a fresh DATA_DIR, and for PostgreSQL a fresh database. */
interface Place {
  DATA_DIR: string;
  DATABASE_URL: string | undefined;
}

async function place(kind: 'sqlite' | 'postgres'): Promise<Place> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-store-'));
  return { DATA_DIR: dir, DATABASE_URL: kind === 'postgres' ? await pgc!.newDatabase() : undefined };
}

async function open(kind: 'sqlite' | 'postgres'): Promise<Store> {
  return openStore(await place(kind));
}

/** Two stores on one database, as two processes (or machines, with PostgreSQL) would open it. */
async function openTwo(kind: 'sqlite' | 'postgres'): Promise<[Store, Store, Place]> {
  const at = await place(kind);
  // The second machine has its own DATA_DIR; with SQLite the file is the shared store.
  const other = kind === 'postgres' ? { ...at, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-store-')) } : at;
  return [await openStore(at), await openStore(other), at];
}

const vec = (...xs: number[]) => new Float32Array(xs);

function vote(over: Partial<FeedbackInput> = {}): FeedbackInput {
  return { interactionId: 'i1', guildId: 'g1', userId: 'u1', vote: 'up', question: 'Wer?', answer: 'Die Stadt.', citations: [], ...over };
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

  it('embedding cache: exact float32 round trip, per space, wrong lengths ignored, replace, prune, batches', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      const c = s.embeddings;
      expect(await c.getMany('m', ['h1'], 2)).toEqual(new Map());
      const odd = vec(Math.PI, -1e-30, 3.4e38, -0);
      await c.putMany('a', [{ hash: 'h1', vector: vec(1, 0) }, { hash: 'odd', vector: odd }]);
      await c.putMany('b', [{ hash: 'h1', vector: vec(0, 1, 0) }]);
      c.resetStats();
      expect((await c.getMany('a', ['h1', 'h2', 'h1'], 2)).get('h1')).toEqual(vec(1, 0));
      expect(await c.getMany('a', ['h1'], 3)).toEqual(new Map()); // stored with 2 dimensions
      expect((await c.getMany('b', ['h1'], 3)).get('h1')).toEqual(vec(0, 1, 0));
      const back = (await c.getMany('a', ['odd'], 4)).get('odd')!;
      expect([...new Uint8Array(back.buffer)]).toEqual([...new Uint8Array(odd.buffer)]); // bit for bit, -0 included
      expect([c.hits, c.misses]).toEqual([3, 2]); // distinct hashes per call
      // A second put replaces; the same hash twice in one put: the last one wins.
      await c.putMany('a', [{ hash: 'h1', vector: vec(0.5, 0.5) }, { hash: 'h1', vector: vec(0.6, 0.8) }]);
      expect((await c.getMany('a', ['h1'], 2)).get('h1')).toEqual(vec(0.6, 0.8));
      expect([await c.count(), await c.count('a'), await c.count('b')]).toEqual([3, 2, 1]);
      expect(await c.pruneOtherSpaces('a')).toBe(1);
      expect([await c.count(), await c.count('b')]).toEqual([2, 0]);
      // More than one lookup/upsert batch (SQLite 500, PostgreSQL 2000 per statement).
      const many = Array.from({ length: 2345 }, (_, i) => ({ hash: `k${i}`, vector: vec(i, 1) }));
      await c.putMany('a', many);
      const got = await c.getMany('a', many.map((m) => m.hash).reverse(), 2);
      expect(got.size).toBe(2345);
      expect(got.get('k2100')).toEqual(vec(2100, 1));
      expect(got.get('k7')).toEqual(vec(7, 1));
    } finally {
      await s.close();
    }
  });

  it('embedding cache: a failed put writes nothing, also across batches', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const s = await open(kind);
    try {
      await s.embeddings.putMany('a', [{ hash: 'keep', vector: vec(1, 2) }]);
      // The last of 2,500 entries has no hash (NOT NULL): the statement for it fails after the
      // earlier entries (and, with PostgreSQL, the earlier batch) were written in the transaction.
      const bad = Array.from({ length: 2500 }, (_, i) => ({ hash: i === 2499 ? (null as unknown as string) : `z${String(i).padStart(4, '0')}`, vector: vec(i, 0) }));
      await expect(s.embeddings.putMany('a', bad)).rejects.toThrow();
      expect(await s.embeddings.count()).toBe(1);
      expect((await s.embeddings.getMany('a', ['keep', 'z0000'], 2)).size).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('embedding cache and votes are shared by two stores on one database (other process / machine)', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const [a, b] = await openTwo(kind);
    try {
      await a.embeddings.putMany('m', [{ hash: 'h', vector: vec(0.6, 0.8) }]);
      expect((await b.embeddings.getMany('m', ['h', 'x'], 2)).get('h')).toEqual(vec(0.6, 0.8));
      expect([b.embeddings.hits, b.embeddings.misses, a.embeddings.hits]).toEqual([1, 1, 0]); // stats are per process
      const cite: Citation[] = [{ n: 1, document: { id: 'd', title: 'T „Ü“ 😀', date: null }, quote: 'Die Stadt.', start: 0, end: 10, score: 1.5, position: '¶1' }];
      expect(await a.feedback.record(vote({ citations: cite }))).toBe('added');
      expect(await b.feedback.counts('i1')).toEqual({ up: 1, down: 0 });
      expect(await b.feedback.record(vote({ vote: 'down', question: 'ignored' }))).toBe('changed');
      expect(await a.feedback.record(vote({ vote: 'down' }))).toBe('unchanged');
      expect(await b.feedback.record(vote({ userId: 'u2', guildId: null }))).toBe('added');
      expect(await a.feedback.record(vote({ interactionId: 'i2' }))).toBe('added');
      expect(await a.feedback.counts('i1')).toEqual({ up: 1, down: 1 });
      expect(await a.feedback.counts()).toEqual({ up: 2, down: 1 });
      expect(await a.feedback.counts('nothing')).toEqual({ up: 0, down: 0 });
      const rows = await a.feedback.list('i1');
      expect(rows.map((r) => [r.userId, r.vote, r.guildId])).toEqual([['u1', 'down', 'g1'], ['u2', 'up', null]]);
      // The first vote's question, answer and citations are kept; the time is the latest vote's.
      expect(rows[0]).toMatchObject({ question: 'Wer?', answer: 'Die Stadt.', citations: cite });
      expect(Date.parse(rows[0].votedAt)).toBeGreaterThan(Date.parse('2020-01-01'));
      expect((await b.feedback.list()).length).toBe(3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('concurrent votes of one user from two stores are each reported once and leave one row', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const [a, b] = await openTwo(kind);
    try {
      const votes = Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).feedback.record(vote({ vote: i % 3 ? 'up' : 'down' })));
      const out = await Promise.all(votes);
      expect(out.filter((x) => x === 'added')).toHaveLength(1);
      const rows = await a.feedback.list();
      expect(rows).toHaveLength(1);
      const { up, down } = await b.feedback.counts();
      expect(up + down).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('PostgreSQL schema migration', () => {
  it('a version-1 database (before embeddings and feedback moved in) is migrated on open', async (ctx) => {
    if (!pgc) return ctx.skip();
    const at = await place('postgres');
    const s1 = await openStore(at);
    await s1.putDocument(doc('a'));
    await s1.close();
    const c = new pg.Client({ connectionString: at.DATABASE_URL });
    await c.connect();
    try {
      await c.query('DROP TABLE embedding_cache; DROP TABLE feedback; DROP INDEX IF EXISTS documents_title; DROP INDEX IF EXISTS chunks_paragraph; UPDATE schema_version SET version = 1');
      const s2 = await openStore(at);
      try {
        expect((await s2.getDocument('a'))?.id).toBe('a');
        await s2.embeddings.putMany('m', [{ hash: 'h', vector: vec(1) }]);
        expect(await s2.feedback.record(vote())).toBe('added');
        expect((await c.query('SELECT version FROM schema_version')).rows).toEqual([{ version: 4 }]);
        expect((await c.query("SELECT indexname FROM pg_indexes WHERE indexname IN ('documents_title', 'chunks_paragraph')")).rows).toHaveLength(2);
        // DATA_DIR's SQLite file is never created: nothing of the app lives there with PostgreSQL.
        expect(fs.existsSync(path.join(at.DATA_DIR, 'dossier.sqlite'))).toBe(false);
      } finally {
        await s2.close();
      }
    } finally {
      await c.end();
    }
  });
});

describe('SQLite schema', () => {
  it('indexes chunks by paragraph, so a cascaded paragraph delete does not scan every chunk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-schema-'));
    try {
      const db = openDatabase(dir);
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM chunks WHERE paragraph_id = ?').all(1) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toContain('chunks_paragraph');
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
