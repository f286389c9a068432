/**
 * The in-memory indexes as a restart rebuilds them: the factorised concept scorer against a
 * materialised-vector reference, deferred concept indexing (start-up warm-up) against immediate
 * indexing, posting-list replacement in the BM25 index, and answers across a core restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseDing } from '../src/search/dictionary.js';
import { ConceptIndex, ConceptSpace, IDENTITY_WEIGHT, type ConceptQueryWord } from '../src/search/concept.js';
import { LexicalIndex } from '../src/search/lexical.js';
import { PassageSearcher, type IndexedDocument } from '../src/search/passages.js';
import { buildQuery } from '../src/search/query.js';
import { indexTerms } from '../src/text/terms.js';
import type { StemLang } from '../src/text/stem.js';
import { Dossier } from '../src/core.js';
import { testConfig } from './helpers.js';
import { DING_FIXTURE } from './kit/ding-fixture.js';
import { mulberry32 } from '../scripts/lib/metrics.js';

const DING = DING_FIXTURE;

const TEXTS: { id: number; lang: StemLang; text: string }[] = [
  { id: 1, lang: 'de', text: 'Die Fabrik soll jeden Monat Drohnen produzieren. Die Drohnen werden im Werk gefertigt.' },
  { id: 2, lang: 'de', text: 'Wir backen einen Kuchen. Der Kuchen ist gut.' },
  { id: 3, lang: 'en', text: 'The plant manufactures two hundred drones every month.' },
  { id: 4, lang: 'en', text: 'She likes to bake a cake on Sundays; Berlin cakes are famous.' },
  { id: 5, lang: 'de', text: 'Berlin und Moskau verhandeln über Drohnen aus dem Iran.' },
];

/** Cosines from explicitly built sparse vectors (the definition in src/search/concept.ts). */
function referenceCosines(space: ConceptSpace, units: { id: number; terms: string[]; lang: StemLang }[], words: ConceptQueryWord[]): Map<number, number> {
  const known = new Set(units.flatMap((u) => u.terms));
  const vec = (u: { terms: string[]; lang: StemLang }) => {
    const tf = new Map<string, number>();
    for (const t of u.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    for (const [t, n] of tf) {
      const f = 1 + Math.log(n);
      const part = space.entries(t, u.lang);
      for (const d of part.dims) v.set(`e${d}`, (v.get(`e${d}`) ?? 0) + f * part.val);
      v.set(`w${t}`, (v.get(`w${t}`) ?? 0) + f * IDENTITY_WEIGHT);
    }
    return v;
  };
  const q = new Map<string, number>();
  for (const w of words) {
    const part = space.entries(w.entries, w.lang);
    for (const d of part.dims) q.set(`e${d}`, (q.get(`e${d}`) ?? 0) + w.weight * part.val);
    for (const t of w.identity) if (known.has(t)) q.set(`w${t}`, (q.get(`w${t}`) ?? 0) + w.weight * IDENTITY_WEIGHT);
  }
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((a, x) => a + x * x, 0));
  const out = new Map<number, number>();
  for (const u of units) {
    const v = vec(u);
    let d = 0;
    let shared = false;
    for (const [k, x] of q) {
      const y = v.get(k);
      if (y !== undefined) {
        d += x * y;
        shared = true;
      }
    }
    if (shared) out.set(u.id, d / (norm(v) * norm(q)));
  }
  return out;
}

describe('concept index', () => {
  const dict = parseDing(DING);
  const units = TEXTS.map((t) => ({ id: t.id, lang: t.lang, terms: indexTerms(t.text, t.lang) }));
  const queries: ConceptQueryWord[][] = [
    [{ entries: 'manufactur', lang: 'en', identity: ['manufactur'], weight: 1.5 }, { entries: 'drone', lang: 'en', identity: ['dron', 'drone'], weight: 0.7 }],
    [{ entries: 'herstell', lang: 'de', identity: ['herstell'], weight: 1 }],
    [{ entries: 'berlin', lang: 'en', identity: ['berlin'], weight: 2 }, { entries: 'cake', lang: 'en', identity: ['cake', 'kuch'], weight: 1 }],
  ];

  it('scores every unit with the cosine of the materialised vectors', () => {
    const space = new ConceptSpace(dict);
    const index = new ConceptIndex(space);
    for (const u of units) index.add(u.id, u.terms, u.lang);
    for (const words of queries) {
      const got = index.search(words);
      const want = referenceCosines(space, units, words);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [id, c] of want) expect(got.get(id)).toBeCloseTo(c, 9);
    }
  });

  it('forgets removed units and takes re-added ones with their new words', () => {
    const space = new ConceptSpace(dict);
    const index = new ConceptIndex(space);
    for (const u of units) index.add(u.id, u.terms, u.lang);
    index.remove(1);
    index.add(3, indexTerms('Two cakes a month.', 'en'), 'en');
    index.add(3, indexTerms('The factory produces cakes every month.', 'en'), 'en'); // replaces
    const now = [...units.filter((u) => u.id !== 1 && u.id !== 3), { id: 3, lang: 'en' as const, terms: indexTerms('The factory produces cakes every month.', 'en') }];
    for (const words of queries) {
      const got = index.search(words);
      expect(got.has(1)).toBe(false);
      // Words only the removed unit had lose their identity dimension (also in the query norm).
      const want = referenceCosines(space, now, words);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [id, c] of want) expect(got.get(id)).toBeCloseTo(c, 9);
    }
    expect(index.size).toBe(4);
  });

  it('matches the materialised vectors under random adds, re-adds, removals and compactions', () => {
    const rand = mulberry32(12);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    // Dictionary stems of both languages plus words the dictionary lacks (identity only).
    const vocab: Record<StemLang, string[]> = {
      de: [...new Set(TEXTS.filter((t) => t.lang === 'de').flatMap((t) => indexTerms(t.text, 'de')))].concat(['zt180', 'xaver', 'quorx']),
      en: [...new Set(TEXTS.filter((t) => t.lang === 'en').flatMap((t) => indexTerms(t.text, 'en')))].concat(['zt180', 'quorx', 'blim']),
    };
    const space = new ConceptSpace(dict);
    const index = new ConceptIndex(space);
    const live = new Map<number, { id: number; terms: string[]; lang: StemLang }>();
    const query = (): ConceptQueryWord[] =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const lang: StemLang = rand() < 0.5 ? 'de' : 'en';
        const w = pick(vocab[lang]);
        return { entries: w, lang, identity: rand() < 0.5 ? [w] : [w, pick(vocab.de), pick(vocab.en)], weight: 0.2 + rand() * 3 };
      });
    for (let step = 0; step < 400; step++) {
      const r = rand();
      const id = 1 + Math.floor(rand() * 40);
      if (r < 0.6) {
        const lang: StemLang = rand() < 0.5 ? 'de' : 'en';
        const terms = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => pick(vocab[lang]));
        index.add(id, terms, lang);
        live.set(id, { id, terms, lang });
      } else if (r < 0.9) {
        index.remove(id);
        live.delete(id);
      } else index.compact();
      expect(index.size).toBe(live.size);
      if (step % 10 === 0) {
        const words = query();
        const want = referenceCosines(space, [...live.values()], words);
        const got = index.search(words);
        expect([...got.keys()].sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
        for (const [u, c] of want) expect(got.get(u)).toBeCloseTo(c, 9);
      }
    }
  });
});

describe('deferred concept indexing (start-up)', () => {
  const dict = parseDing(DING);
  const docs: IndexedDocument[] = TEXTS.map((t) => {
    const terms = indexTerms(t.text, t.lang);
    return { id: `d${t.id}`, scope: t.id === 5 ? 'g1' : null, language: t.lang, paragraphs: [{ id: t.id, terms, chunks: [{ id: t.id * 10, docId: `d${t.id}`, paragraphId: t.id, start: 0, end: t.text.length, terms }] }] };
  });
  const questions = ['Where are drones manufactured?', 'Wie viele Drohnen werden pro Monat hergestellt?', 'Who bakes cakes in Berlin?'];
  const rank = (s: PassageSearcher, scope: string | null) => questions.map((q) => s.search(buildQuery(q, dict).groups, scope, 10).map((r) => [r.chunk.id, r.score, r.coverage]));

  it('ranks exactly as immediate indexing, before, during and after the warm-up', async () => {
    const now = new PassageSearcher(dict);
    for (const d of docs) now.add(d);
    const expected = [rank(now, null), rank(now, 'g1')];

    const later = new PassageSearcher(dict);
    for (const d of docs) later.add(d, { deferConcepts: true });
    expect(later.conceptBacklog).toBe(docs.length);
    expect([rank(later, null), rank(later, 'g1')]).toEqual(expected); // a search builds what is left
    expect(later.conceptBacklog).toBe(0);

    const warming = new PassageSearcher(dict);
    for (const d of docs) warming.add(d, { deferConcepts: true });
    const done = warming.warmUp(2);
    expect(warming.conceptBacklog).toBe(docs.length); // nothing built before the first yield
    await new Promise((r) => setImmediate(r));
    expect(warming.conceptBacklog).toBeLessThan(docs.length);
    await done;
    expect(warming.conceptBacklog).toBe(0);
    expect([rank(warming, null), rank(warming, 'g1')]).toEqual(expected);
  });

  it('drops a removed document from the backlog and indexes documents added meanwhile at once', () => {
    const reference = new PassageSearcher(dict);
    for (const d of docs.slice(1)) reference.add(d);
    const s = new PassageSearcher(dict);
    for (const d of docs.slice(0, 4)) s.add(d, { deferConcepts: true });
    s.remove('d1');
    s.add(docs[4]);
    expect(s.conceptBacklog).toBe(3);
    // Built in another order, so sums may differ in the last bits: same chunks, same order.
    const got = rank(s, 'g1');
    const want = rank(reference, 'g1');
    expect(got.map((r) => r.map((x) => x[0]))).toEqual(want.map((r) => r.map((x) => x[0])));
    got.forEach((r, i) => r.forEach((x, j) => expect(x[1] as number).toBeCloseTo(want[i][j][1] as number, 9)));
  });
});

describe('BM25 postings', () => {
  it('re-adding a unit replaces its terms and frequencies', () => {
    const a = new LexicalIndex();
    a.add(1, ['drohn', 'drohn', 'fabrik']);
    a.add(2, ['kuch', 'drohn']);
    a.add(1, ['drohn', 'monat']);
    const b = new LexicalIndex();
    b.add(2, ['kuch', 'drohn']);
    b.add(1, ['drohn', 'monat']);
    const g = [{ label: 'drohnen', terms: ['drohn'], weight: 1 }, { label: 'fabrik', terms: ['fabrik', 'monat'], weight: 1 }];
    const sorted = (x: ReturnType<LexicalIndex['search']>) => x.hits.map((h) => [h.id, h.score, h.matched]);
    expect(sorted(a.search(g))).toEqual(sorted(b.search(g)));
    expect(a.termsWithPrefix('fab')).toEqual([]);
    expect(a.groupDf({ label: 'x', terms: ['drohn', 'kuch'], weight: 1 })).toBe(2);
  });
});

describe('restart', () => {
  const open: Dossier[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  it('answers the same after close and reopen, also before the background warm-up has finished', async () => {
    const config = testConfig();
    const first = await Dossier.open(config);
    open.push(first);
    await first.ingest({ text: 'Die Fabrik in Jelabuga soll ab 2025 jeden Monat 300 Drohnen herstellen.', title: 'Jelabuga', scope: null });
    const questions = ['How many drones will the Yelabuga plant manufacture each month?', 'Wer warnte vor chinesischen Waffenexporten?'];
    const before = [];
    for (const q of questions) before.push(await first.ask(q));
    await first.close();

    const second = await Dossier.open(config);
    open.push(second);
    // readyMs is the sum of the steps (each rounded to 1 ms, so up to 4 ms apart).
    const s = second.startup;
    expect(Math.abs(s.readyMs - (s.storeMs + s.dictionaryMs + s.indexMs + s.denseMs + s.corpusMs))).toBeLessThanOrEqual(4);
    expect(second.startup.modelLoadMs).toBe(0); // EMBEDDINGS=off
    expect(second.startup.denseSync).toBeNull();
    for (const [i, q] of questions.entries()) {
      const a = await second.ask(q); // right after open: the warm-up may still be running
      expect(a.citations.map((c) => [c.document.id, c.start, c.end])).toEqual(before[i].citations.map((c) => [c.document.id, c.start, c.end]));
      expect(a.answer).toBe(before[i].answer);
    }
  });
});
