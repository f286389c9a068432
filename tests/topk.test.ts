import { describe, expect, it } from 'vitest';
import { topK } from '../src/search/topk.js';
import { parseDing } from '../src/search/dictionary.js';
import { PassageSearcher, type IndexedDocument } from '../src/search/passages.js';
import { buildQuery } from '../src/search/query.js';
import { indexTerms } from '../src/text/terms.js';
import type { StemLang } from '../src/text/stem.js';
import { mulberry32 } from '../scripts/lib/metrics.js';
import { DING_FIXTURE } from './kit/ding-fixture.js';

describe('topK', () => {
  it('equals sorting everything and taking the first k, ties included', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of [0, 1, 7, 100, 1000]) {
      // Few distinct scores, so ties (broken by id) are frequent.
      const score = Array.from({ length: n }, () => Math.floor(rand() * 10));
      const id = Array.from({ length: n }, (_, i) => (i * 7919) % 1009);
      const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && id[a] < id[b]);
      const all = Array.from({ length: n }, (_, i) => i).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
      for (const k of [0, 1, 5, 50, 2000]) expect(topK(n, k, better)).toEqual(all.slice(0, k));
    }
  });
});

describe('PassageSearcher top-k cut-off', () => {
  const DING = DING_FIXTURE + 'Stadt {f} | Städte {pl} :: city | cities\n' + 'liefern {vt} :: to deliver\n';
  const dict = parseDing(DING);
  const WORDS: Record<StemLang, string[]> = {
    de: 'Fabrik Drohnen produzieren Monat Kuchen backen Werk gefertigt Stadt Berlin liefern Iran hundert zwei Moskau Preis'.split(' '),
    en: 'factory drones produce month cake bake plant manufactured city Berlin deliver Iran hundred two Moscow price'.split(' '),
  };
  const rand = mulberry32(41);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const sentence = (lang: StemLang) => Array.from({ length: 2 + Math.floor(rand() * 6) }, () => pick(WORDS[lang])).join(' ');
  let nextId = 1;
  const doc = (k: number): IndexedDocument => {
    const lang: StemLang = rand() < 0.6 ? 'de' : 'en';
    const paragraphs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
      const pid = nextId++;
      const chunks = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const terms = indexTerms(sentence(lang), lang);
        return { id: nextId++, docId: `d${k}`, paragraphId: pid, start: 0, end: 1, terms };
      });
      return { id: pid, terms: chunks.flatMap((c) => c.terms), chunks };
    });
    return { id: `d${k}`, scope: rand() < 0.2 ? 'g1' : null, language: lang, paragraphs };
  };
  const questions = (n: number) =>
    Array.from({ length: n }, () => {
      const lang: StemLang = rand() < 0.5 ? 'de' : 'en';
      return (lang === 'en' ? 'What ' : 'Was ') + Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(WORDS[lang])).join(' ') + '?';
    });

  it('returns exactly the exhaustive ranking for random corpora, queries, scopes and limits', () => {
    for (let round = 0; round < 4; round++) {
      const s = new PassageSearcher(dict);
      const docs = Array.from({ length: 60 + round * 40 }, (_, k) => doc(k));
      for (const d of docs) s.add(d, { deferConcepts: round % 2 === 1 });
      // Some removals and replacements, so the postings carry tombstones and compactions.
      for (let k = 0; k < 15; k++) s.remove(`d${Math.floor(rand() * docs.length)}`);
      for (let k = 0; k < 5; k++) s.add(doc(Math.floor(rand() * docs.length)));
      let compared = 0;
      for (const q of questions(40)) {
        const groups = buildQuery(q, dict).groups;
        for (const scope of [null, 'g1']) {
          for (const limit of [1, 3, 10, 50]) {
            const pruned = s.search(groups, scope, limit);
            const exhaustive = s.searchExhaustive(groups, scope, limit);
            expect(pruned).toEqual(exhaustive);
            compared += exhaustive.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(500); // the queries do find chunks
    }
  });
});
