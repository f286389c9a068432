import { describe, expect, it } from 'vitest';
import { loadDictionary, parseDing } from '../src/search/dictionary.js';
import { buildQuery } from '../src/search/query.js';
import { loadConfig } from '../src/config.js';

const config = loadConfig();

describe('Ding dictionary parsing', () => {
  it('gives a one-word English key the noun of an adjective–noun sub-entry that has no one-word German', () => {
    const d = parseDing(
      'Taufe {f} | christliche Taufe {f} | Erwachsenentaufe {f} :: baptism | christening | adult baptism\n' +
        'Handlung {f} | kriegerische Handlung :: act | act of war\n' +
        'Eile {f} | große Eile :: hurry | haste\n',
    );
    expect(d.en.get('christening')).toEqual(['taufe']);
    expect(d.en.get('baptism')).toEqual(['taufe']);
    expect(d.en.get('adult baptism')).toEqual(['erwachsenentaufe']);
    // Multi-word English keys get no head noun; the adjective is never a translation.
    expect(d.en.get('act of war')).toBeUndefined();
    expect(d.en.get('haste')).toEqual(['eile']);
    expect([...d.en.values()].flat()).not.toContain('christliche');
  });

  it('never gives a German stopword or a bare verb particle as a translation', () => {
    const d = parseDing('lieferte (aus; ab; an; ein); übergab; gab ab :: delivered\n');
    // Synonyms are split before notes are dropped, so "lieferte (aus" is no word either.
    expect(d.en.get('delivered')).toEqual(['übergab']);
  });

  it('lends a long English phrase\'s German words to its last two words, the head of the phrase', () => {
    const d = parseDing('Freibad {n}; Freischwimmbad {n} | Freibäder {pl} :: public open-air swimming pool | public open-air swimming pools\nLache {f} :: a small pool of water\n');
    expect(d.en.get('swimming pool')).toEqual(['freibad', 'freischwimmbad']);
    expect(d.en.get('swimming pools')).toEqual(['freibäder']);
    // A tail with a stopword ("of water") is no head phrase.
    expect(d.en.get('of water')).toBeUndefined();
    expect(d.en.get('public open-air swimming pool')).toBeUndefined();
  });

  it('aligns sub-entries, strips notes and keeps phrases', () => {
    const d = parseDing(
      '# comment\n' +
        'Nationalhymne {f} | Nationalhymnen {pl} :: national anthem | national anthems\n' +
        'Drohne {f} (unbemannt) [mil.] | Drohnen {pl} :: drone | drones\n' +
        'herstellen; produzieren {vt} :: to produce sth.; to manufacture sth.\n',
    );
    expect(d.en.get('national anthem')).toEqual(['nationalhymne']);
    expect(d.en.get('drones')).toEqual(['drohnen']);
    expect(d.en.get('produce')).toEqual(expect.arrayContaining(['herstellen', 'produzieren']));
    expect(d.en.get('manufacture')).toEqual(expect.arrayContaining(['herstellen', 'produzieren']));
    expect(d.deFreq.get('drohne')).toBe(1);
  });
});

describe('query translation (needs trans-de-en, installed by npm run setup)', () => {
  const dict = loadDictionary(config.DICT_PATH, config.CACHE_DIR);

  it('is installed', () => {
    expect(dict, `install the dictionary: apt-get install trans-de-en (looked at ${config.DICT_PATH})`).not.toBeNull();
  });

  it('expands English words into groups of the original plus German translations; names and numbers pass through', () => {
    const q = buildQuery('How many ZT-180 drones per month?', dict);
    expect(q.language).toBe('en');
    const byLabel = Object.fromEntries(q.groups.map((g) => [g.label, g.terms]));
    expect(Object.keys(byLabel)).toEqual(['zt-180', 'drones', 'month']);
    expect(byLabel['zt-180']).toEqual(['zt-180']);
    expect(byLabel.drones).toEqual(expect.arrayContaining(['drohn'])); // German stem of Drohnen
    expect(byLabel.month).toEqual(expect.arrayContaining(['month', 'monat']));
  });

  it('matches dictionary phrases before single words', () => {
    const q = buildQuery('When was the national anthem written?', dict);
    const g = q.groups.find((x) => x.label === 'national anthem');
    expect(g?.terms).toContain('nationalhymn');
  });

  it('leaves German questions untranslated', () => {
    const q = buildQuery('Wie viele Drohnen im Monat?', dict);
    expect(q.language).toBe('de');
    expect(q.translated).toBe(false);
    expect(q.groups.map((g) => g.label)).toEqual(['drohnen', 'monat']);
  });

  it('without a dictionary, still builds monolingual groups', () => {
    const q = buildQuery('How many drones per month?', null);
    expect(q.translated).toBe(false);
    expect(q.groups.map((g) => g.label)).toEqual(['drones', 'month']);
  });
});
