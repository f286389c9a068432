import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { francAll } from 'franc-min';
import { data } from 'franc-min/data.js';
import { detectLanguage, iso639_3to1, MIN_LANGUAGE_CHARS } from '../src/text/language.js';
import { rankLanguages } from '../src/text/trigram-rank.js';
import { mulberry32 } from '../scripts/lib/metrics.js';
import { SEED } from './helpers.js';

describe('detectLanguage', () => {
  const table: Array<[string, string]> = [
    ['de', fs.readFileSync(SEED, 'utf8')],
    ['de', 'Nach Einschätzung von NATO-Generalsekretär Jens Stoltenberg erwägt Peking Waffenlieferungen nach Russland.'],
    ['en', 'According to NATO Secretary General Jens Stoltenberg, Beijing is considering supplying weapons to Russia.'],
    ['fr', 'Selon le secrétaire général de l’OTAN, Pékin envisage de livrer des armes à la Russie.'],
    ['es', 'Según el secretario general de la OTAN, Pekín está considerando suministrar armas a Rusia.'],
    ['it', 'Secondo il segretario generale della NATO, Pechino sta valutando di fornire armi alla Russia.'],
    ['nl', 'Volgens de secretaris-generaal van de NAVO overweegt Peking wapens aan Rusland te leveren.'],
    ['pl', 'Według sekretarza generalnego NATO Pekin rozważa dostawy broni do Rosji, choć dotąd ich nie zaobserwowano.'],
    ['ru', 'По словам генерального секретаря НАТО, Пекин рассматривает возможность поставок оружия в Россию.'],
    ['und', ''],
    ['und', 'Hallo'],
    ['und', '12345 67890 !!!'],
    ['und', 'Hallo Welt'], // too close to call for trigrams
  ];
  for (const [lang, text] of table) {
    it(`${lang}: ${text.slice(0, 40)}`, () => expect(detectLanguage(text)).toBe(lang));
  }

  it('can be restricted to candidate languages', () => {
    expect(detectLanguage('Welche Drohnen will China liefern?', { only: ['de', 'en'] })).toBe('de');
    expect(detectLanguage('Which drones will China deliver?', { only: ['de', 'en'] })).toBe('en');
  });

  it('maps ISO 639-3 to 639-1', () => {
    expect(iso639_3to1('deu')).toBe('de');
    expect(iso639_3to1('xyz')).toBeUndefined();
  });
});

describe('rankLanguages (inverted trigram table)', () => {
  // Texts made of random pieces of franc-min's own models (several languages and scripts mixed),
  // with digits, punctuation, case and white space, so that every branch of franc is reached.
  const rnd = mulberry32(12);
  const models = Object.values(data).flatMap((langs) => Object.values(langs).map((m) => m.split('|')));
  const noise = ['', ' ', '  \n\t', '123', '!?', '-', 'ÄÖÜ', 'İ', '...', 'Œuvre', '€', '🙂'];
  const texts: string[] = [fs.readFileSync(SEED, 'utf8'), '12345 67890 !!!', 'Hallo Welt', 'a'.repeat(3000), 'αβγδε ζηθ', '漢字のテキストです'];
  for (let n = 0; n < 300; n++) {
    const parts: string[] = [];
    const len = Math.floor(rnd() * 400);
    const langs = [models[Math.floor(rnd() * models.length)], models[Math.floor(rnd() * models.length)]];
    for (let i = 0; i < len; i++) {
      const m = langs[rnd() < 0.8 ? 0 : 1];
      const piece = m[Math.floor(rnd() * m.length)];
      parts.push(rnd() < 0.1 ? piece.toUpperCase() : piece, rnd() < 0.1 ? noise[Math.floor(rnd() * noise.length)] : '');
    }
    texts.push(parts.join(''));
  }
  it('gives exactly francAll’s ranked list (codes, order, scores)', () => {
    for (const t of texts) expect(rankLanguages(t, MIN_LANGUAGE_CHARS)).toEqual(francAll(t, { minLength: MIN_LANGUAGE_CHARS }));
  });
});
