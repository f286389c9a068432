/**
 * Place names from the Ding dictionary (src/search/dictionary.ts PlaceNames) and their use as
 * answer candidates (src/answer/candidates.ts) and as names a document must mention.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDictionary, parseDing } from '../src/search/dictionary.js';
import { findCandidates, type IsCommonWord } from '../src/answer/candidates.js';
import { tokenize } from '../src/text/tokenize.js';
import { tempDir } from './helpers.js';

const DING =
  'Russland {n}; Rußland [alt] {n} (Russische Föderation) /RU/ [geogr.] :: Russia (Russian Federation)\n' +
  'Ukraine {f} /UA/ [geogr.] | Ostukraine {f} | in der Ukraine :: Ukraine | eastern Ukraine | in the Ukraine\n' +
  'murengefährdet {adj} [envir.] [geogr.] | murengefährdetes Gebiet :: mudflow-prone | mudflow-prone area\n' +
  'Zug (Kanton in der Schweiz) [geogr.] :: Zug (canton in Switzerland)\n' +
  'Zug {m} | Züge {pl} :: train | trains\n' +
  'Monat {m} | Monate {pl} :: month | months\n' +
  'Westen {m} [geogr.] :: west\n';

describe('place names of the dictionary', () => {
  it('are the one-word [geogr.] synonyms with a proper English name and no common sense, also from the cache', () => {
    const parsed = parseDing(DING);
    const want = ['russland', 'rußland', 'ukraine'];
    expect([...parsed.places.keys()].sort()).toEqual(want);
    const dir = tempDir();
    const file = path.join(dir, 'de-en');
    fs.writeFileSync(file, DING);
    const cache = path.join(dir, 'cache');
    loadDictionary(file, cache);
    const cached = loadDictionary(file, cache)!;
    for (const w of [...want, 'ostukraine', 'zug', 'monat', 'westen', 'murengefährdet']) expect(cached.places.has(w)).toBe(want.includes(w));
  });

  it('make a dictionary word a place candidate anywhere; a time after "im" is none', () => {
    const common = new Set(['moskau', 'monat', 'know-how', 'komponenten', 'produktion', 'westen', 'jahr', 'drohnen', 'fabrik']);
    const isCommon: IsCommonWord = (w) => common.has(w);
    isCommon.place = (w) => w === 'moskau';
    const names = (text: string, c: IsCommonWord) =>
      findCandidates(text, tokenize(text), c)
        .filter((x) => x.kind === 'name')
        .map((x) => [text.slice(x.start, x.end), x.flavour]);
    const text = 'Danach soll Xi\'an Bingo planen, Moskau mit Komponenten zu versorgen, mit rund 100 Drohnen im Monat.';
    expect(names(text, isCommon).map(([n]) => n)).toEqual(["Xi'an Bingo", 'Moskau']);
    expect(names(text, isCommon)[1]).toEqual(['Moskau', 'place']);
    // Without the place list "Moskau" is a common noun here, as before.
    expect(names(text, (w) => common.has(w)).map(([n]) => n)).toEqual(["Xi'an Bingo"]);
    expect(names('Die Fabrik liegt im Westen, gebaut im Jahr danach.', isCommon)).toEqual([['Westen', 'place']]);
  });
});
