import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLanguage, iso639_3to1 } from '../src/text/language.js';
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
