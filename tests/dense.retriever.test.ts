/** DenseRetriever: store ↔ index reconciliation, the embedding cache across restarts, model changes. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../src/embed/embedder.js';
import { loadEmbedder } from '../src/embed/transformers.js';
import { contentHash } from '../src/corpus/document.js';
import { DenseRetriever, readChunkTexts, type DenseChunk } from '../src/search/dense.js';
import { insertDocument, openDatabase } from '../src/store/db.js';
import { SEED, tempDir } from './helpers.js';
import { CountingEmbedder, embedConfig, modelTree } from './kit/dense-kit.js';

let tinyA: Embedder;
let tinyB: Embedder; // the same files under another model id: another vector space
let chunks: DenseChunk[];

beforeAll(async () => {
  const { root, id } = await modelTree('tiny');
  fs.cpSync(path.join(root, id), path.join(root, 'test/other'), { recursive: true });
  tinyA = (await loadEmbedder(embedConfig({ MODEL_DIR: root, MODEL_ID: id })))!;
  tinyB = (await loadEmbedder(embedConfig({ MODEL_DIR: root, MODEL_ID: 'test/other' })))!;
  const text = fs.readFileSync(SEED, 'utf8');
  chunks = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => p.split(/(?<=[.!?])\s+/))
    .map((s, i) => ({ id: i + 1, text: s }));
});

/** A store: a SQLite file (for the cache) and the chunk list. Reopened like a restarted process. */
function openAt(dir: string, embedder: Embedder) {
  const db = new Database(path.join(dir, 'store.sqlite'));
  const counting = new CountingEmbedder(embedder);
  const dense = DenseRetriever.open({ embedder: counting, db, dir });
  return { db, dense, counting };
}

const fetchFrom = (list: DenseChunk[]) => (ids: number[]) => list.filter((c) => ids.includes(c.id));

describe('DenseRetriever', () => {
  it('first open embeds every chunk with progress; search finds a chunk by its own text', async () => {
    const dir = tempDir();
    const { dense, counting, db } = openAt(dir, tinyA);
    const progress: [number, number][] = [];
    const rep = await dense.sync(
      chunks.map((c) => c.id),
      fetchFrom(chunks),
      (d, t) => progress.push([d, t]),
    );
    expect(rep).toMatchObject({ index: 'new', added: chunks.length, removed: 0, embedded: chunks.length, fromCache: 0 });
    expect(counting.passages).toBe(chunks.length);
    expect(progress.at(-1)).toEqual([chunks.length, chunks.length]);
    expect(progress.every(([d], i) => i === 0 || d >= progress[i - 1][0])).toBe(true);
    const target = chunks[5];
    const hits = await dense.search(target.text, 3);
    expect(hits.map((h) => h.id)).toContain(target.id);
    expect(hits[0].score).toBeGreaterThan(0.9);
    db.close();
  });

  it('restart with a matching index re-embeds nothing and reads no chunk text', async () => {
    const dir = tempDir();
    const first = openAt(dir, tinyA);
    await first.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    first.db.close();

    const again = openAt(dir, tinyA);
    let fetched = 0;
    const rep = await again.dense.sync(
      chunks.map((c) => c.id),
      (ids) => {
        fetched += ids.length;
        return fetchFrom(chunks)(ids);
      },
    );
    expect(rep).toMatchObject({ index: 'ok', added: 0, removed: 0, embedded: 0, fromCache: 0 });
    expect(again.counting.passages).toBe(0);
    expect(fetched).toBe(0);
    expect((await again.dense.search(chunks[2].text, 1))[0].id).toBe(chunks[2].id);
    again.db.close();
  });

  it('a lost index is rebuilt from the cache: every vector is a cache hit, none re-embedded', async () => {
    const dir = tempDir();
    const first = openAt(dir, tinyA);
    await first.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    first.db.close();
    for (const f of fs.readdirSync(dir)) if (f.startsWith('vectors.')) fs.rmSync(path.join(dir, f));

    const again = openAt(dir, tinyA);
    const rep = await again.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    expect(rep).toMatchObject({ index: 'new', added: chunks.length, embedded: 0, fromCache: chunks.length });
    expect(again.dense.cache.hits).toBe(new Set(chunks.map((c) => contentHash(c.text))).size);
    expect(again.counting.passages).toBe(0);
    again.db.close();
  });

  it('re-ingesting the same text under new chunk ids embeds nothing; removal takes effect', async () => {
    const dir = tempDir();
    const { dense, counting, db } = openAt(dir, tinyA);
    await dense.add(chunks);
    const embedded = counting.passages;
    const reingested = chunks.map((c) => ({ ...c, id: c.id + 1000 }));
    expect(dense.remove(chunks.map((c) => c.id))).toBe(chunks.length);
    const rep = await dense.add(reingested);
    expect(rep).toEqual({ embedded: 0, fromCache: chunks.length });
    expect(counting.passages).toBe(embedded);
    const hits = await dense.search(chunks[3].text, chunks.length);
    expect(hits.every((h) => h.id > 1000)).toBe(true);
    expect(hits[0].id).toBe(chunks[3].id + 1000);
    dense.flush();
    db.close();
  });

  it('the store changed while the process was down: removed chunks leave, new ones are added', async () => {
    const dir = tempDir();
    const first = openAt(dir, tinyA);
    await first.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    first.db.close();

    const now = [...chunks.slice(2), { id: 500, text: 'Ein ganz neuer Satz über Drohnenfabriken im Iran.' }];
    const again = openAt(dir, tinyA);
    const rep = await again.dense.sync(now.map((c) => c.id), fetchFrom(now));
    expect(rep).toMatchObject({ index: 'ok', added: 1, removed: 2, embedded: 1 });
    expect(again.dense.index.compare(now.map((c) => c.id)).ok).toBe(true);
    again.db.close();
  });

  it('another model: the index mismatch is reported and everything is re-embedded with progress', async () => {
    const dir = tempDir();
    const first = openAt(dir, tinyA);
    await first.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    first.db.close();

    const switched = openAt(dir, tinyB);
    expect(switched.dense.index.opened.state).toBe('mismatch');
    let last: [number, number] = [0, 0];
    const rep = await switched.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks), (d, t) => (last = [d, t]));
    expect(rep.index).toBe('mismatch');
    expect(rep.reason).toMatch(/test\/tiny.*test\/other/);
    expect(rep).toMatchObject({ added: chunks.length, embedded: chunks.length, fromCache: 0 });
    expect(last).toEqual([chunks.length, chunks.length]);
    expect(switched.counting.passages).toBe(chunks.length);
    switched.db.close();

    // Back to the first model: its cached vectors are still there, so nothing is embedded.
    const back = openAt(dir, tinyA);
    const rep2 = await back.dense.sync(chunks.map((c) => c.id), fetchFrom(chunks));
    expect(rep2).toMatchObject({ index: 'mismatch', embedded: 0, fromCache: chunks.length });
    back.db.close();
  });

  it('reads chunk texts and hashes from the store schema and syncs from them', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const text = 'Erster Satz. Zweiter Satz über Drohnen.\n\nDritter Satz im Monat.';
    const spans = [
      [0, 12],
      [13, 39],
      [41, 63],
    ];
    const ids = insertDocument(db, {
      id: 'doc1',
      scope: null,
      title: 't',
      date: null,
      source: null,
      language: 'de',
      text,
      bodyStart: 0,
      pages: null,
      paragraphs: [{ start: 0, end: 63, terms: '', chunks: spans.map(([s, e]) => ({ start: s, end: e, terms: '', hash: contentHash(text.slice(s, e)) })) }],
    });
    const read = readChunkTexts(db, [ids[2], ids[0], 424242]);
    expect(read.map((c) => c.text).sort()).toEqual(['Dritter Satz im Monat.', 'Erster Satz.']);
    for (const c of read) expect(c.hash).toBe(contentHash(c.text));
    const counting = new CountingEmbedder(tinyA);
    const dense = DenseRetriever.open({ embedder: counting, db, dir });
    const rep = await dense.sync(ids, (missing) => readChunkTexts(db, missing));
    expect(rep).toMatchObject({ added: 3, embedded: 3 });
    expect((await dense.search('Dritter Satz im Monat.', 1))[0].id).toBe(ids[2]);
    db.close();
  });
});
