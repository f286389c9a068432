import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDing } from '../src/search/dictionary.js';
import { BM25_B, BM25_K1, LexicalIndex, type QueryGroup } from '../src/search/lexical.js';
import { PassageSearcher, type IndexedDocument } from '../src/search/passages.js';
import { readSnapshot, SNAPSHOT_FORMAT, SnapshotError, writeSnapshot } from '../src/search/snapshot.js';
import { buildQuery } from '../src/search/query.js';
import { indexTerms } from '../src/text/terms.js';
import type { StemLang } from '../src/text/stem.js';
import { Dossier } from '../src/core.js';
import { SNAPSHOT_FILE } from '../src/search/persisted-index.js';
import { tempDir, testConfig } from './helpers.js';
import { mulberry32 as rng } from '../scripts/lib/metrics.js';

/** BM25 straight from its definition (Robertson & Zaragoza 2009, Lucene's idf) over explicit term lists. */
function referenceBm25(units: Map<number, string[]>, groups: QueryGroup[]): Map<number, number> {
  const n = units.size;
  let total = 0;
  for (const t of units.values()) total += t.length;
  const avgdl = n ? total / n : 1;
  const out = new Map<number, number>();
  for (const g of groups) {
    const members = new Set(g.terms);
    const tf = new Map<number, number>();
    for (const [id, terms] of units) {
      const f = terms.filter((t) => members.has(t)).length;
      if (f > 0) tf.set(id, f);
    }
    const idf = Math.log(1 + (n - tf.size + 0.5) / (tf.size + 0.5));
    for (const [id, f] of tf) {
      const dl = units.get(id)!.length;
      out.set(id, (out.get(id) ?? 0) + (g.weight * idf * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * dl) / avgdl)));
    }
  }
  return out;
}


describe('compact postings under random adds, re-adds and removals', () => {
  it('score exactly like BM25 from its definition, across compactions', () => {
    const rand = rng(7);
    const vocab = Array.from({ length: 60 }, (_, i) => `w${i}`);
    const index = new LexicalIndex();
    const units = new Map<number, string[]>();
    // Enough operations to pass the automatic compaction thresholds several times.
    for (let step = 0; step < 6000; step++) {
      const id = Math.floor(rand() * 1500);
      if (rand() < 0.3) {
        index.remove(id);
        units.delete(id);
      } else {
        const terms = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => vocab[Math.floor(Math.pow(rand(), 2) * vocab.length)]);
        index.add(id, terms);
        units.set(id, terms);
      }
      if (step % 1000 === 999) {
        const groups: QueryGroup[] = [
          { label: 'a', terms: [vocab[0]], weight: 1 },
          { label: 'b', terms: [vocab[5], vocab[40], vocab[5]], weight: 0.5 },
          { label: 'c', terms: [vocab[59], 'nirgends'], weight: 2 },
        ];
        const want = referenceBm25(units, groups);
        const { hits } = index.search(groups);
        expect(index.size).toBe(units.size);
        expect(hits.length).toBe(want.size);
        for (const h of hits) expect(h.score).toBeCloseTo(want.get(h.id)!, 9);
        for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score >= hits[i].score).toBe(true);
        const withTerm = [...units.values()].filter((t) => t.includes(vocab[40]) || t.includes(vocab[5])).length;
        expect(index.groupDf(groups[1])).toBe(withTerm);
        if (step === 2999) index.compact();
      }
    }
    // Removed terms vanish from prefix search.
    const only = new LexicalIndex();
    only.add(1, ['fabrik', 'fabel']);
    only.add(2, ['fabrik']);
    only.remove(1);
    expect(only.termsWithPrefix('fab')).toEqual(['fabrik']);
  });
});

const DING =
  'herstellen; produzieren; fertigen {vt} :: to produce sth.; to manufacture sth.\n' +
  'Drohne {f} | Drohnen {pl} :: drone | drones\n' +
  'Kuchen {m} | Kuchen {pl} :: cake | cakes\n' +
  'Monat {m} | Monate {pl} :: month | months\n' +
  'Fabrik {f} | Fabriken {pl} :: factory | factories\n';
const TEXTS: { id: number; lang: StemLang; scope: string | null; text: string }[] = [
  { id: 1, lang: 'de', scope: null, text: 'Die Fabrik soll jeden Monat Drohnen produzieren. Die Drohnen werden im Werk gefertigt.' },
  { id: 2, lang: 'de', scope: null, text: 'Wir backen einen Kuchen. Der Kuchen ist gut.' },
  { id: 3, lang: 'en', scope: 'g1', text: 'The plant manufactures two hundred drones every month.' },
  { id: 4, lang: 'en', scope: null, text: 'She likes to bake a cake on Sundays; Berlin cakes are famous.' },
  { id: 5, lang: 'de', scope: 'g1', text: 'Berlin und Moskau verhandeln über Drohnen aus dem Iran. Die Fabrik liefert jeden Monat.' },
];

describe('lexical index snapshot', () => {
  const dict = parseDing(DING);
  const docs: IndexedDocument[] = TEXTS.map((t) => {
    const sentences = t.text.split(/(?<=\.) /);
    let at = 0;
    const chunks = sentences.map((s, k) => {
      const start = t.text.indexOf(s, at);
      at = start + s.length;
      return { id: t.id * 10 + k, docId: `d${t.id}`, paragraphId: t.id, start, end: at, terms: indexTerms(s, t.lang) };
    });
    return { id: `d${t.id}`, scope: t.scope, language: t.lang, paragraphs: [{ id: t.id, terms: indexTerms(t.text, t.lang), chunks }] };
  });
  const questions = ['How many drones are manufactured each month?', 'Wie viele Drohnen liefert die Fabrik?', 'Who bakes cakes in Berlin?', 'Kuchen'];
  const rank = (s: PassageSearcher) =>
    [null, 'g1'].flatMap((scope) => questions.map((q) => s.search(buildQuery(q, dict).groups, scope, 10).map((r) => [r.chunk, r.score, r.coverage])));

  it('loads to the same rankings, version and document set, and keeps taking additions and removals', () => {
    const dir = tempDir();
    const file = path.join(dir, 'lex.idx');
    const a = new PassageSearcher(dict);
    for (const d of docs.slice(0, 4)) a.add(d);
    a.remove('d2');
    a.add(docs[4]);
    a.save(file, 'v-42');
    // The paragraph vocabulary equals the chunks': written once, in the chunks' order.
    const written = readSnapshot(file)!;
    expect(written.strings['p.termsOf']).toEqual(['c']);
    expect(written.strings['p.terms']).toBeUndefined();
    const b = new PassageSearcher(dict);
    expect(b.load(file)).toEqual({ version: 'v-42' });
    expect(b.size).toBe(a.size);
    expect(b.documentIds().sort()).toEqual(['d1', 'd3', 'd4', 'd5']);
    // Same chunks in the same order; scores equal up to the last bits (the next test asks for
    // bit-for-bit equality of a loaded concept index).
    const same = (x: ReturnType<typeof rank>, y: ReturnType<typeof rank>) => {
      expect(x.map((r) => r.map((h) => [h[0], h[2]]))).toEqual(y.map((r) => r.map((h) => [h[0], h[2]])));
      x.forEach((r, i) => r.forEach((h, j) => expect(h[1] as number).toBeCloseTo(y[i][j][1] as number, 12)));
    };
    same(rank(b), rank(a));
    expect(rank(a).filter((r) => r.length > 0).length).toBeGreaterThan(4);
    // Incremental changes on the loaded index match the same changes on the original.
    for (const s of [a, b]) {
      s.remove('d1');
      s.add(docs[1]);
    }
    same(rank(b), rank(a));
    expect(fs.readdirSync(dir)).toEqual(['lex.idx']); // no temp file left behind
  });

  it('keeps the concept index: a load needs no rebuild and ranks bit for bit as the saving searcher', () => {
    const dir = tempDir();
    const file = path.join(dir, 'lex.idx');
    const a = new PassageSearcher(dict);
    for (const d of docs) a.add(d);
    a.remove('d3');
    a.add(docs[2]);
    a.save(file, 'v-1');
    const b = new PassageSearcher(dict);
    b.load(file);
    expect(b.conceptBacklog).toBe(0);
    expect(rank(b)).toEqual(rank(a));
    // Saved with paragraphs still waiting for their concept vectors: exactly those wait after the load.
    const c = new PassageSearcher(dict);
    for (const d of docs.slice(0, 2)) c.add(d);
    for (const d of docs.slice(2)) c.add(d, { deferConcepts: true });
    c.save(file, 'v-2');
    const e = new PassageSearcher(dict);
    e.load(file);
    expect(e.conceptBacklog).toBe(docs.length - 2);
    expect(rank(e)).toEqual(rank(c));
    expect(e.conceptBacklog).toBe(0);
  });

  it('shows each scope only its own and the shared documents while scoped documents come and go', () => {
    const s = new PassageSearcher(dict);
    const scopeOf = new Map<string, string | null>();
    const put = (d: IndexedDocument, scope: string | null) => {
      s.add({ ...d, scope });
      scopeOf.set(d.id, scope);
    };
    const check = () => {
      for (const scope of [null, 'g1', 'g2'])
        for (const q of [...questions, 'How many drones does the factory deliver each month?', 'Berlin Moskau Drohnen']) {
          const hits = s.search(buildQuery(q, dict).groups, scope, 10);
          for (const h of hits) expect([null, scope]).toContain(scopeOf.get(h.chunk.docId));
          // Every visible document that matches the German words of the last question is found.
          if (q.startsWith('Berlin')) for (const [id, sc] of scopeOf) if ((id === 'd5' || id === 'd4') && (sc === null || sc === scope)) expect(hits.some((h) => h.chunk.docId === id)).toBe(true);
        }
    };
    for (const d of [docs[0], docs[1], docs[3]]) put(d, null);
    check();
    put(docs[4], 'g1');
    check();
    put(docs[4], null); // re-added unscoped
    check();
    put(docs[4], 'g2');
    put(docs[2], 'g1');
    check();
    s.remove('d5');
    scopeOf.delete('d5');
    check();
    const file = path.join(tempDir(), 'lex.idx');
    s.save(file, 'v');
    const t = new PassageSearcher(dict);
    t.load(file);
    for (const scope of [null, 'g1', 'g2']) for (const q of questions) expect(t.search(buildQuery(q, dict).groups, scope, 10).map((h) => h.chunk.id)).toEqual(s.search(buildQuery(q, dict).groups, scope, 10).map((h) => h.chunk.id));
  });

  it('refuses a truncated, altered or foreign file and leaves the searcher as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, 'lex.idx');
    const a = new PassageSearcher(dict);
    for (const d of docs) a.add(d);
    a.save(file, 'v1');
    const good = fs.readFileSync(file);
    const b = new PassageSearcher(dict);
    b.add(docs[1]);
    const before = rank(b);
    const bad = [good.subarray(0, good.length - 5), Buffer.concat([good.subarray(0, good.length - 3), Buffer.from([good[good.length - 3] ^ 1]), good.subarray(good.length - 2)]), Buffer.from('not an index at all')];
    for (const bytes of bad) {
      fs.writeFileSync(file, bytes);
      expect(() => b.load(file)).toThrow(SnapshotError);
      expect(rank(b)).toEqual(before);
    }
    expect(b.load(path.join(dir, 'missing.idx'))).toBeNull();
  });
});

describe('Dossier with a persisted lexical index', () => {
  const open: Dossier[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  const q = 'How many drones will the Yelabuga plant manufacture each month?';

  it('reopens from the snapshot, and rebuilds when the store changed behind it', async () => {
    const config = testConfig();
    const first = await Dossier.open(config);
    expect(first.startup.index).toEqual({ source: 'rebuilt', reason: 'missing' });
    await first.ingest({ text: 'Die Fabrik in Jelabuga soll ab 2025 jeden Monat 300 Drohnen herstellen.', title: 'Jelabuga' });
    const want = await first.ask(q);
    await first.close();
    expect(fs.existsSync(path.join(config.DATA_DIR, SNAPSHOT_FILE))).toBe(true);

    const second = await Dossier.open(config);
    open.push(second);
    expect(second.startup.index).toEqual({ source: 'snapshot' });
    expect(await second.ask(q)).toEqual(want);
    // The store changes without this process knowing (another writer, a crash before close).
    const doc = second.list().find((d) => d.title === 'Jelabuga')!;
    second.db.prepare('DELETE FROM documents WHERE id = ?').run(doc.id);
    await second.close();
    open.pop();

    const third = await Dossier.open(config);
    open.push(third);
    expect(third.startup.index).toEqual({ source: 'rebuilt', reason: 'stale' });
    const after = await third.ask(q);
    expect(after.citations.every((c) => c.document.id !== doc.id)).toBe(true);
  });

  it('saves the concept vectors built after a rebuild, so that the next open has none left to build', async () => {
    const config = testConfig({}, { corpus: 'empty' });
    const first = await Dossier.open(config);
    await first.ingest({ text: 'Die Fabrik in Jelabuga soll ab 2025 jeden Monat 300 Drohnen herstellen.', title: 'A' });
    await first.ingest({ text: 'The cake from Leipzig was baked in the summer and sold in Berlin.', title: 'B' });
    await first.close();
    fs.rmSync(path.join(config.DATA_DIR, SNAPSHOT_FILE));
    // Rebuilt from the store: the paragraphs' concept vectors are queued, the snapshot written so.
    const second = await Dossier.open(config);
    open.push(second);
    expect(second.startup.index).toEqual({ source: 'rebuilt', reason: 'missing' });
    expect(second.searcher.conceptBacklog).toBe(2);
    const want = await second.ask(q);
    expect(second.searcher.conceptBacklog).toBe(0);
    await second.close();
    open.pop();
    const third = await Dossier.open(config);
    open.push(third);
    expect(third.startup.index).toEqual({ source: 'snapshot' });
    expect(third.searcher.conceptBacklog).toBe(0);
    expect(await third.ask(q)).toEqual(want);
  });

  it('saves an index only after catching up with other connections, and replays changes logged after it', async () => {
    const config = testConfig({}, { corpus: 'empty' });
    const a = await Dossier.open(config);
    const b = await Dossier.open(config);
    open.push(a, b);
    await a.ingest({ text: 'Die Fabrik in Jelabuga soll ab 2025 jeden Monat 300 Drohnen herstellen.', title: 'A' });
    await b.ingest({ text: 'Der Kuchen aus Leipzig wurde im Sommer gebacken und verkauft.', title: 'B' });
    // Each index lacked the other's document until close, which follows the change log first.
    await a.close();
    await b.close();
    open.length = 0;
    // A writer that never saves the snapshot (a shard's partial index) adds one more document.
    const w = await Dossier.open(config, { serves: () => true });
    await w.ingest({ text: 'Die Brücke in Dresden wurde 1893 aus Stahl gebaut.', title: 'W' });
    await w.close();
    const c = await Dossier.open(config);
    open.push(c);
    expect(c.startup.index).toEqual({ source: 'snapshot', replayed: 1 });
    expect((await c.ask('Wie viele Drohnen pro Monat?')).citations[0]?.document.title).toBe('A');
    expect((await c.ask('Wo wurde der Kuchen gebacken?')).citations[0]?.document.title).toBe('B');
    expect((await c.ask('Wann wurde die Brücke in Dresden gebaut?')).citations[0]?.document.title).toBe('W');
  });
});

describe('snapshot file format', () => {
  /** A snapshot file written by hand: `header` JSON and `arrays` (each padded to 8), checksummed as the format says. */
  const forge = (file: string, header: Record<string, unknown>, arrays: Record<string, Int32Array | Uint8Array>, sum: 'crc32' | 'sha1') => {
    const parts = Object.values(arrays).map((a) => {
      const b = Buffer.alloc((a.byteLength + 7) & ~7);
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(b);
      return b;
    });
    const body = Buffer.concat(parts);
    const check = sum === 'crc32' ? { crc32: zlib.crc32(body) } : { sha1: crypto.createHash('sha1').update(body).digest('hex') };
    const json = Buffer.from(JSON.stringify({ ...header, ...check, arrays: Object.entries(arrays).map(([name, a]) => ({ name, type: a instanceof Int32Array ? 'i32' : 'u8', length: a.length })) }));
    const head = Buffer.alloc((12 + json.length + 7) & ~7);
    head.write('DOSSLEX1', 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    json.copy(head, 12);
    fs.writeFileSync(file, Buffer.concat([head, body]));
  };

  it('writes format 2 with a CRC-32 and reads it back exactly', () => {
    const file = path.join(tempDir(), 'lex.idx');
    const content = {
      version: 'v9',
      strings: { words: ['straße', '', 'größe😀', 'bad\ud800'], withNull: ['a', null] },
      arrays: { a: Int32Array.from([1, -2, 3]), b: Float64Array.from([0.5, Math.PI]), c: Uint8Array.from([255, 0]) },
    };
    writeSnapshot(file, content);
    const raw = fs.readFileSync(file);
    const header = JSON.parse(raw.toString('utf8', 12, 12 + raw.readUInt32LE(8)));
    expect(header.format).toBe(SNAPSHOT_FORMAT);
    expect(SNAPSHOT_FORMAT).toBe(2);
    expect(header.crc32).toBe(zlib.crc32(raw.subarray((12 + raw.readUInt32LE(8) + 7) & ~7)));
    expect(header.sha1).toBeUndefined();
    const back = readSnapshot(file)!;
    expect(back.version).toBe('v9');
    expect(back.strings).toEqual(content.strings);
    expect([...back.arrays.a]).toEqual([1, -2, 3]);
    expect([...back.arrays.b]).toEqual([0.5, Math.PI]);
    expect([...back.arrays.c]).toEqual([255, 0]);
  });

  it('still reads a format-1 file (strings in the header, SHA-1)', () => {
    const file = path.join(tempDir(), 'lex.idx');
    forge(file, { format: 1, version: 'old', strings: { terms: ['fabrik', 'drohn'] } }, { x: Int32Array.from([4, 5]) }, 'sha1');
    const back = readSnapshot(file)!;
    expect(back.version).toBe('old');
    expect(back.strings.terms).toEqual(['fabrik', 'drohn']);
    expect([...back.arrays.x]).toEqual([4, 5]);
  });

  it('refuses a file of another format or with a wrong CRC-32', () => {
    const file = path.join(tempDir(), 'lex.idx');
    forge(file, { format: 3, version: 'v', strings: {} }, {}, 'crc32');
    expect(() => readSnapshot(file)).toThrow(/format 3/);
    forge(file, { format: 2, version: 'v', strings: {} }, { x: Int32Array.from([1]) }, 'crc32');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 8] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(() => readSnapshot(file)).toThrow(/checksum mismatch/);
  });
});
