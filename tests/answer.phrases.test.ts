import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestPhrase } from '../src/answer/phrases.js';
import { tokenize } from '../src/text/tokenize.js';
import { Dossier } from '../src/core.js';
import { testConfig } from './helpers.js';

/** Tokens and a matched mask where the given words (lower case) count as matched question words. */
function sentence(text: string, matchedWords: string[]) {
  const tokens = tokenize(text);
  return { text, tokens, matched: tokens.map((t) => matchedWords.includes(t.norm)) };
}
const phrase = (text: string, matchedWords: string[], german: boolean) => {
  const s = sentence(text, matchedWords);
  const p = bestPhrase(s.text, s.tokens, s.matched, new Set(matchedWords), german);
  return p ? text.slice(p.start, p.end) : null;
};

describe('noun-phrase short answers for untyped questions', () => {
  it('takes the German noun phrase next to the matched words, without them', () => {
    expect(phrase('Jede Drohne soll einen schweren Sprengkopf tragen können.', ['drohne', 'tragen'], true)).toBe('schweren Sprengkopf');
  });
  it('keeps a genitive attached to its noun ("die Hauptstadt des Landes")', () => {
    expect(phrase('Berlin ist seit 1990 die Hauptstadt des vereinten Landes.', ['berlin', 'seit'], true)).toBe('Hauptstadt des vereinten Landes');
  });
  it('never offers a phrase made only of question words', () => {
    expect(phrase('Die Drohne fliegt.', ['drohne', 'fliegt'], true)).toBeNull();
  });
  it('gives nothing when the sentence matches no question word', () => {
    expect(phrase('Der Hafen bekommt eine neue Kaimauer.', [], true)).toBeNull();
  });
  it('reads English content words as nouns', () => {
    expect(phrase('The harbour will get a new quay wall next year.', ['harbour', 'get'], false)).toBe('new quay wall');
  });
  it('is linear: a long sentence is handled completely', () => {
    const text = Array.from({ length: 20000 }, (_, i) => (i % 7 === 0 ? 'Drohne' : 'große Fabrik')).join(' ') + '.';
    const s = sentence(text, ['drohne']);
    const p = bestPhrase(s.text, s.tokens, s.matched, new Set(['drohne']), true);
    expect(p && text.slice(p.start, p.end)).toBe('große Fabrik');
  });
});

let d: Dossier;
beforeAll(async () => {
  d = await Dossier.open(testConfig());
});
afterAll(async () => {
  await d.close();
});

describe('what/which questions on the seed report get a short answer', () => {
  it('"What should every ZT-180 be able to carry?" → the warhead, quoted from ¶4', async () => {
    const a = await d.ask('What should every ZT-180 be able to carry?');
    expect(a.abstained).toBe(false);
    expect(a.short).toMatch(/Sprengkopf/);
    expect(a.answer.startsWith(`**${a.short}**`)).toBe(true);
    expect(a.citations[0].quote).toContain('Sprengkopf von 35 bis 50 Kilogramm');
  });
  it('"Was soll die ZT-180 tragen können?" → the warhead with its weight attached (German question)', async () => {
    const a = await d.ask('Was soll die ZT-180 tragen können?');
    // The figure describes the warhead: the noun phrase carries it ("Sprengkopf von 35 bis 50 Kilogramm").
    expect(a.short).toMatch(/^Sprengkopf( von 35 bis 50 Kilogramm)?$/);
    expect(a.notStated).toBe(false);
  });
  it('a typed near miss still gets no noun phrase: "How fast is the ZT-180?" is not stated', async () => {
    const a = await d.ask('How fast is the ZT-180?');
    expect(a.notStated).toBe(true);
    expect(a.short).toBeUndefined();
  });
});
