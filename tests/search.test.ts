import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDictionary, parseDing } from '../src/search/dictionary.js';
import { ConceptIndex, ConceptSpace } from '../src/search/concept.js';
import { PassageSearcher } from '../src/search/passages.js';
import { buildQuery } from '../src/search/query.js';
import { coverage, specificity } from '../src/search/confidence.js';
import { chooseThreshold, type Observation } from '../src/search/calibration.js';
import { indexTerms } from '../src/text/terms.js';
import { Decompounder } from '../src/text/decompound.js';
import { tempDir } from './helpers.js';

const DING =
  '# tiny Ding sample\n' +
  'herstellen; produzieren; fertigen {vt} | herstellend | hergestellt :: to produce sth.; to manufacture sth. | producing | produced\n' +
  'Drohne {f} | Drohnen {pl} :: drone | drones\n' +
  'Kuchen {m} | Kuchen {pl} :: cake | cakes\n' +
  'backen {vt} :: to bake\n' +
  'Monat {m} | Monate {pl} :: month | months\n' +
  'Jahr {n} | Jahre {pl} :: year | years\n' +
  'Jahrestag {m} :: anniversary\n' +
  'Jahrbuch {n} :: yearbook\n' +
  'Jahr für Jahr :: year after year\n' +
  'pro Jahr; im Jahr :: per year; a year\n' +
  'Jahrhundert {n} :: century\n' +
  'Kostüm {n} | Kostüme {pl} :: costume | costumes\n' +
  'Sammlung {f} | Sammlungen {pl} :: collection | collections\n';

describe('dictionary cache', () => {
  it('loads the same dictionary from its binary cache as from parsing', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a', 'de-en');
    const b = path.join(dir, 'b', 'de-en');
    fs.mkdirSync(path.dirname(a));
    fs.mkdirSync(path.dirname(b));
    fs.writeFileSync(a, DING);
    fs.writeFileSync(b, DING);
    const when = new Date('2023-02-01T00:00:00Z');
    fs.utimesSync(a, when, when);
    fs.utimesSync(b, when, when);
    const cache = path.join(dir, 'cache');
    const parsed = loadDictionary(a, cache)!; // parses and writes the cache
    expect(fs.readdirSync(cache).some((f) => f.endsWith('.bin'))).toBe(true);
    const cached = loadDictionary(b, cache)!; // same size and mtime: read from the cache
    for (const k of ['produce', 'manufacture', 'drones', 'cake']) expect(cached.en.get(k)).toEqual(parsed.en.get(k));
    expect(cached.deFreq.get('drohne')).toBe(1);
    expect(cached.entryCount).toBe(13);
    expect([...cached.stems.de.get('herstell')!]).toEqual([...parsed.stems.de.get('herstell')!]);
    expect(cached.stems.en.count('produc')).toBe(1);
    expect(cached.stems.de.count('unbekannt')).toBe(0);
  });
});

describe('concept space', () => {
  const dict = parseDing(DING);
  const de = (t: string) => indexTerms(t, 'de');

  it('ranks a paragraph that uses a synonym, in either language, above an unrelated one', () => {
    const index = new ConceptIndex(new ConceptSpace(dict));
    index.add(1, de('Die Fabrik soll Drohnen produzieren.'), 'de');
    index.add(2, de('Wir backen einen Kuchen.'), 'de');
    const german = index.search([{ entries: 'herstell', lang: 'de', identity: ['herstell'], weight: 1 }]);
    expect(german.get(1) ?? 0).toBeGreaterThan(german.get(2) ?? 0);
    const english = index.search([{ entries: 'manufactur', lang: 'en', identity: ['manufactur'], weight: 1 }]);
    expect(english.get(1) ?? 0).toBeGreaterThan(0);
    expect(english.has(2)).toBe(false);
    index.remove(1);
    expect(index.search([{ entries: 'herstell', lang: 'de', identity: [], weight: 1 }]).has(1)).toBe(false);
  });

  it('lets an English question find a German paragraph without a shared word through the searcher', () => {
    const s = new PassageSearcher(dict);
    const para = (id: number, text: string) => ({ id, terms: de(text), chunks: [{ id: id * 10, docId: `d${id}`, paragraphId: id, start: 0, end: text.length, terms: de(text) }] });
    s.add({ id: 'd1', scope: null, paragraphs: [para(1, 'Im Werk werden Drohnen gefertigt.')] });
    s.add({ id: 'd2', scope: null, paragraphs: [para(2, 'Ein Kuchen wird gebacken.')] });
    const ranked = s.search(buildQuery('Where are drones manufactured?', dict).groups, null, 5);
    expect(ranked[0].chunk.docId).toBe('d1');
  });
});

describe('German questions about English documents', () => {
  it('translate German words into English stems through the dictionary', () => {
    const dict = parseDing(DING);
    const s = new PassageSearcher(dict);
    const en = (t: string) => indexTerms(t, 'en');
    const para = (id: number, text: string, terms: string[]) => ({ id, terms, chunks: [{ id: id * 10, docId: `d${id}`, paragraphId: id, start: 0, end: text.length, terms }] });
    const t1 = 'The plant manufactures two hundred drones every month.';
    const t2 = 'She likes to bake a cake on Sundays.';
    s.add({ id: 'd1', scope: null, language: 'en', paragraphs: [para(1, t1, en(t1))] });
    s.add({ id: 'd2', scope: null, language: 'en', paragraphs: [para(2, t2, en(t2))] });
    const q = buildQuery('Wie viele Drohnen werden pro Monat hergestellt?', dict);
    expect(q.language).toBe('de');
    const ranked = s.search(q.groups, null, 5);
    expect(ranked[0]?.chunk.docId).toBe('d1');
    expect(ranked.some((r) => r.chunk.docId === 'd2')).toBe(false);
  });
});

describe('dictionary phrases', () => {
  it('fall back to their words when no paragraph contains the phrase translation', () => {
    const dict = parseDing(DING + 'Kostümsammlung {f} :: costume collection\n');
    const s = new PassageSearcher(dict);
    const text = 'Die Sammlung zeigt Kostüme aus drei Jahrhunderten.';
    const terms = indexTerms(text, 'de');
    s.add({ id: 'd1', scope: null, paragraphs: [{ id: 1, terms, chunks: [{ id: 1, docId: 'd1', paragraphId: 1, start: 0, end: text.length, terms }] }] });
    const q = buildQuery('How old is the costume collection?', dict);
    expect(q.groups.map((g) => g.label)).toContain('costume collection');
    const ranked = s.search(q.groups, null, 5);
    expect(ranked[0]?.chunk.docId).toBe('d1');
    expect(ranked[0].coverage).toBeGreaterThan(0.3); // "costume" and "collection" match, "old" does not
  });
});

describe('unknown query words', () => {
  it('splits a German compound that no paragraph contains into its parts', () => {
    const dict = parseDing(DING);
    const s = new PassageSearcher(dict);
    const dec = new Decompounder(dict.deFreq);
    const text = 'Die Sammlung der Kostüme umfasst viele Stücke.';
    const terms = indexTerms(text, 'de', dec);
    s.add({ id: 'd1', scope: null, paragraphs: [{ id: 1, terms, chunks: [{ id: 1, docId: 'd1', paragraphId: 1, start: 0, end: text.length, terms }] }] });
    const q = buildQuery('Wie groß ist die Kostümsammlung?', dict);
    expect(q.groups.map((g) => g.label)).toContain('kostümsammlung');
    const ranked = s.search(q.groups, null, 5);
    expect(ranked[0]?.chunk.docId).toBe('d1');
    expect(ranked[0].coverage).toBeGreaterThan(0.3);
  });
});

describe('abstention signal', () => {
  const dict = parseDing(DING);

  it('weights rare words above common ones, independently of any corpus', () => {
    expect(specificity('drohnen', 'de', dict)).toBeGreaterThan(specificity('jahr', 'de', dict));
    expect(specificity('zt-180', 'de', dict)).toBeGreaterThan(specificity('drohnen', 'de', dict));
    expect(specificity('anything', 'en', null)).toBe(1);
  });

  it('is the weighted share of matched groups', () => {
    const g = (specificity: number, weight = 1) => ({ label: 'x', terms: ['x'], weight, specificity });
    expect(coverage([g(3), g(1)], [true, false])).toBeCloseTo(0.75);
    expect(coverage([g(3), g(1, 0.5)], [false, true])).toBeCloseTo(0.5 / 3.5);
    expect(coverage([], [])).toBe(0);
  });
});

describe('threshold calibration', () => {
  it('picks a threshold between the two score distributions of a synthetic set', () => {
    const obs: Observation[] = [];
    for (const regime of ['small', 'large']) {
      for (let i = 0; i < 50; i++) obs.push({ regime, confidence: 0.55 + (i % 10) * 0.04, answerable: true, retrieved: true });
      for (let i = 0; i < 50; i++) obs.push({ regime, confidence: 0.05 + (i % 10) * 0.03, answerable: false, retrieved: false });
    }
    const { threshold, stats } = chooseThreshold(obs);
    expect(threshold).toBeGreaterThan(0.32);
    expect(threshold).toBeLessThanOrEqual(0.55);
    expect(stats.all.recall).toBe(1);
    expect(stats.all.falseAbstention).toBe(0);
    expect(stats.all.precision).toBe(1);
  });

  it('does not abstain on correctly retrieved answers when unanswerable questions are rare', () => {
    const obs: Observation[] = [];
    for (let i = 0; i < 100; i++) obs.push({ regime: 'r', confidence: i / 100, answerable: true, retrieved: true });
    for (let i = 0; i < 100; i++) obs.push({ regime: 'r', confidence: i / 100, answerable: false, retrieved: false });
    // Overlapping distributions: with 20% unanswerable, abstaining never pays.
    expect(chooseThreshold(obs, { unanswerableShare: 0.2 }).threshold).toBe(0);
    expect(() => chooseThreshold([])).toThrow(RangeError);
  });
});

describe('plural/genitive -s that Snowball keeps', () => {
  it('query groups carry both "prototyp" and "prototyps", "kamera" and "kameras", but not "hauss"', async () => {
    const { buildQuery } = await import('../src/search/query.js');
    const terms = (q: string) => buildQuery(q, null).groups.flatMap((g) => g.terms);
    expect(terms('Prototyp')).toEqual(expect.arrayContaining(['prototyp', 'prototyps']));
    expect(terms('Prototyps')).toEqual(expect.arrayContaining(['prototyp', 'prototyps']));
    expect(terms('Kamera')).toEqual(expect.arrayContaining(['kamera', 'kameras']));
    expect(terms('Haus')).not.toContain('hauss');
    expect(terms('ZT-180')).toEqual(['zt-180']);
  });
});
