import { describe, expect, it } from 'vitest';
import { unknownNames } from '../src/answer/unknown-name.js';
import { withinEdits } from '../src/search/passages.js';
import { tokenize } from '../src/text/tokenize.js';
import type { QueryGroup } from '../src/search/lexical.js';
import { useDossier } from './kit/use-dossier.js';

const groupsOf = (q: string): QueryGroup[] => tokenize(q).map((t) => ({ label: t.norm, terms: [t.norm], weight: 1 }));

describe('names the documents never mention (src/answer/unknown-name.ts)', () => {
  it('English capitalised words and codes are names; the first word, ordinals, decades and German nouns are not', () => {
    const none = () => false;
    const en = 'How many drones does France deliver in the 1700s or the 3rd month of ZT-190?';
    expect(unknownNames(en, tokenize(en), groupsOf(en), 'en', none)).toEqual(['France', 'ZT-190']);
    const de = 'Wie viele Drohnen liefert Frankreich für Zorka999?';
    expect(unknownNames(de, tokenize(de), groupsOf(de), 'de', none)).toEqual(['Zorka999']);
    expect(unknownNames(en, tokenize(en), groupsOf(en), 'en', () => true)).toEqual([]);
    // A unit named after a person is written as a symbol in the documents ("565 °C").
    const unit = 'What is the entry temperature of a steam turbine, in degrees Celsius or Fahrenheit, at Siemens?';
    expect(unknownNames(unit, tokenize(unit), groupsOf(unit), 'en', none)).toEqual(['Siemens']);
  });

  it("German questions: the dictionary's place names count too, at any position, other nouns do not", () => {
    const isPlace = (w: string) => w === 'frankreich' || w === 'moskau';
    const de = 'Frankreich liefert Drohnen nach Moskau für Zorka999, sagt der Minister?';
    expect(unknownNames(de, tokenize(de), groupsOf(de), 'de', () => false, isPlace)).toEqual(['Frankreich', 'Moskau', 'Zorka999']);
    expect(unknownNames(de, tokenize(de), groupsOf(de), 'de', (g) => g.label !== 'moskau', isPlace)).toEqual(['Moskau']);
  });

  it.each([
    ['setanta', 'sentanta', 1, true],
    ['carlsbad', 'carslbad', 2, true],
    ['bendigo', 'bedigo', 1, true],
    ['bingo', 'bongo', 0, false],
    ['frankreich', 'france', 2, false],
    ['', 'ab', 2, true],
    ['abc', '', 2, false],
  ])('withinEdits(%s, %s, %i) = %s (Levenshtein distance)', (a, b, k, want) => {
    expect(withinEdits(a, b, k)).toBe(want);
    expect(withinEdits(b, a, k)).toBe(want);
  });
});

describe('asking about a name no document mentions (seed report)', () => {
  const dossier = useDossier();

  it.each([
    ['How many drones does France deliver per month?', 'France'],
    ['How many ZT-190 drones are built per month?', 'ZT-190'],
    ['How many drones does Xi\'an Bingo sell to Brazil?', 'Brazil'],
    ['Wie viele Drohnen liefert Frankreich im Monat?', 'Frankreich'],
  ])('%s → not stated, naming %s, closest passages cited, no short answer', async (q, name) => {
    const a = await dossier().ask(q);
    expect(a.abstained).toBe(false);
    expect(a.notStated).toBe(true);
    expect(a.short).toBeUndefined();
    expect(a.answer).toMatch(new RegExp(`(do not mention|erwähnen) “${name}”`));
    expect(a.citations.length).toBeGreaterThan(0);
  });

  it.each([
    ['How many drones per month?', '100 Drohnen im Monat'],
    ['Who makes the ZT-180?', "Xi'an Bingo"],
    // Misspelt and joined names still count as mentioned (within two edits; parts of a compound).
    ['Who is Jens Stoltenbreg?', 'Stoltenberg'],
    // A place name the report does mention.
    ['Wie viele Drohnen soll Russland im Monat bekommen?', '100 Drohnen im Monat'],
  ])('%s is still answered', async (q, inAnswer) => {
    const a = await dossier().ask(q);
    expect(a.notStated).toBe(false);
    expect(a.answer).toContain(inAnswer);
  });
});
