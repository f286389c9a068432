/** The German → English table of the Ding dictionary (positional sub-entries) and its query terms. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { englishTermsOfGerman, germanLemma, loadDictionary, parseDing, translateGerman } from '../src/search/dictionary.js';
import { stem } from '../src/text/stem.js';
import { tempDir } from './helpers.js';

const DING =
  'singen {vi} | singend | gesungen | er/sie singt | ich/er/sie sang :: to sing {sang; sung} | singing | sung | he/she sings | I/he/she sang\n' +
  'Nationalhymne {f} | Nationalhymnen {pl} :: national anthem | national anthems\n' +
  'Sommer {m} | Sommer {pl} :: summer | summers\n' +
  'Theater {n} | Theater {pl} :: theatre; theater | theatres; theaters\n' +
  'lauten {vi} | lautend | gelautet :: to read | reading | read\n' +
  'wer {pron interrog} | Wer war da? :: who | Who was there?\n' +
  'wer … auch immer; wer {pron} :: whoever\n' +
  'Zeitachse {f} :: time-line\n' +
  'kosten {vi} | kostend | gekostet | es kostet :: to cost | costing | cost | it costs\n' +
  'kostbar {adj} :: precious\n' +
  'Abteilung {f} | Abteilungen {pl} | beratende Abteilung :: department | departments | advisory department\n' +
  'Abteilung {f} :: section\n' +
  'Abteilung {f} :: section\n';

describe('German → English table', () => {
  const dict = parseDing(DING);

  it('pairs each German sub-entry with the English sub-entry at the same position', () => {
    expect(dict.de.get('nationalhymne')).toEqual(['national anthem']);
    // The plural row and the headword's English have the same stems: one translation.
    expect(dict.de.get('nationalhymnen')).toEqual(['national anthem']);
    // An inflected form gets its own row's English first, then the headword's.
    expect(dict.de.get('sang')).toEqual(['sang', 'sing']);
    expect(dict.de.get('gesungen')).toEqual(['sung', 'sing']);
    // Multi-word German sub-entries ("beratende Abteilung") are not single-word translations.
    expect(dict.de.get('beratende')).toBeUndefined();
    // Two lines giving "section" outweigh one headword line giving "department".
    expect(dict.de.get('abteilung')).toEqual(['section', 'department']);
  });

  it('finds the dictionary form of an inflected word, else the words of its stem', () => {
    expect(translateGerman(dict, 'lautet')).toEqual(['read']); // lautet → lauten
    expect(translateGerman(dict, 'theaters')).toEqual(translateGerman(dict, 'theater'));
    expect(translateGerman(dict, 'unbekanntes')).toEqual([]);
  });

  it('gives English query stems: phrases split into words, compounds by their parts, no question words', () => {
    expect(englishTermsOfGerman(dict, 'nationalhymne')).toEqual([stem('national', 'en'), stem('anthem', 'en')]);
    expect(englishTermsOfGerman(dict, 'sommertheater')).toEqual(expect.arrayContaining([stem('summer', 'en'), stem('theatre', 'en')]));
    expect(englishTermsOfGerman(dict, 'zeitachse')).toEqual([stem('time-line', 'en'), stem('timeline', 'en')]);
    expect(englishTermsOfGerman(dict, 'wer')).toEqual([]);
    expect(englishTermsOfGerman(dict, 'zt-180')).toEqual([]);
  });

  it('finds the related dictionary form of an inflected word the stemmer keeps apart', () => {
    expect(stem('kostet', 'de')).not.toBe(stem('kosten', 'de'));
    expect(germanLemma(dict, 'kostet')).toBe('kosten');
    expect(germanLemma(dict, 'kosten')).toBeNull(); // a dictionary form itself
    expect(germanLemma(dict, 'sang')).toBeNull(); // no ending leads to a related word
    expect(germanLemma(dict, 'unbekannt')).toBeNull();
  });

  it('reads the same table back from the binary cache', () => {
    const dir = tempDir();
    const file = path.join(dir, 'de-en');
    fs.writeFileSync(file, DING);
    const cacheDir = path.join(dir, 'cache');
    // Two files of the same size and mtime: the second is read from the first one's cache.
    const copy = path.join(dir, 'copy', 'de-en');
    fs.mkdirSync(path.dirname(copy));
    fs.writeFileSync(copy, DING);
    const when = new Date('2023-02-01T00:00:00Z');
    fs.utimesSync(file, when, when);
    fs.utimesSync(copy, when, when);
    const parsed = loadDictionary(file, cacheDir)!;
    const cached = loadDictionary(copy, cacheDir)!;
    for (const w of ['sang', 'nationalhymne', 'abteilung', 'zeitachse']) expect(cached.de.get(w)).toEqual(parsed.de.get(w));
    expect(cached.deStem.get(stem('theater', 'de'))).toEqual(parsed.deStem.get(stem('theater', 'de')));
    expect(cached.de.get('beratende')).toBeUndefined();
    expect(cached.de.size).toBe(parsed.de.size);
  });
});
