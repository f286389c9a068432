import { describe, expect, it } from 'vitest';
import { parseDing } from '../src/search/dictionary.js';
import { ConceptIndex, ConceptSpace, type ConceptQueryWord } from '../src/search/concept.js';
import { stem, type StemLang } from '../src/text/stem.js';
import { mulberry32 } from '../scripts/lib/metrics.js';
import { DING_FIXTURE } from './kit/ding-fixture.js';

/**
 * The concept scorer's MaxScore cut-off (ConceptIndex.score with `need`) against the exhaustive
 * scores: on random corpora, queries, filters, exact sets and depths, the exact set's cosines, the
 * largest cosine and the `depth` best others must be the very same doubles.
 */
describe('ConceptIndex pruned scoring', () => {
  const dict = parseDing(DING_FIXTURE + 'Stadt {f} | Städte {pl} :: city | cities\nliefern {vt} :: to deliver\n');
  const WORDS: Record<StemLang, string[]> = {
    de: 'fabrik drohn produzi monat kuch back werk gefertigt stadt berlin liefer iran hundert moskau preis'.split(' '),
    en: 'factori drone produc month cake bake plant manufactur citi berlin deliv iran hundr moscow price'.split(' '),
  };

  it('gives exactly the exhaustive cosines the caller needs', () => {
    const rand = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    let checks = 0;
    for (let round = 0; round < 6; round++) {
      const index = new ConceptIndex(new ConceptSpace(dict));
      const langOf = new Map<number, StemLang>();
      const n = 50 + round * 60;
      for (let id = 1; id <= n; id++) {
        const lang: StemLang = rand() < 0.6 ? 'de' : 'en';
        // Long units and short ones, so that the per-word bounds differ widely.
        const len = rand() < 0.2 ? 1 + Math.floor(rand() * 2) : 3 + Math.floor(rand() * 30);
        index.add(id, Array.from({ length: len }, () => pick(WORDS[lang])), lang);
        langOf.set(id, lang);
      }
      for (let k = 0; k < 10; k++) index.remove(1 + Math.floor(rand() * n));
      for (let q = 0; q < 30; q++) {
        const qLang: StemLang = rand() < 0.5 ? 'de' : 'en';
        const words: ConceptQueryWord[] = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
          const w = pick(WORDS[qLang]);
          return { entries: w, lang: qLang, identity: [w, stem(w, qLang === 'de' ? 'en' : 'de')], weight: 0.5 + rand() * 3 };
        });
        const modulus = 2 + Math.floor(rand() * 4);
        const filter = rand() < 0.4 ? (id: number) => id % modulus !== 0 : undefined;
        const langs: StemLang[] = rand() < 0.5 ? ['de'] : ['de', 'en'];
        const depth = pick([1, 2, 5, 20]);
        const full = index.search(words, filter, langs);
        // Exact set: random units (some filtered or unscored), given by slot.
        const exactIds = [...langOf.keys()].filter(() => rand() < 0.2);
        const scores = index.score(words, filter, langs, { depth, exact: exactIds.map((id) => index['postings'].slot(id)).filter((s) => s >= 0) });
        const pruned = new Map<number, number>();
        for (let i = 0; i < scores.count; i++) pruned.set(scores.idAt(i), scores.cosAt(i));
        for (const id of exactIds) expect(pruned.get(id)).toBe(full.get(id));
        for (const [id, cos] of pruned) expect(cos).toBe(full.get(id));
        const best = Math.max(0, ...full.values());
        expect(Math.max(0, ...pruned.values())).toBe(best);
        const others = (m: Map<number, number>) =>
          [...m]
            .filter(([id]) => !exactIds.includes(id))
            .sort((a, b) => b[1] - a[1] || a[0] - b[0])
            .slice(0, depth);
        expect(others(pruned)).toEqual(others(full));
        checks += others(full).length;
      }
    }
    expect(checks).toBeGreaterThan(300);
  });
});
