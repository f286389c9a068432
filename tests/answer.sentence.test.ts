import { describe, expect, it } from 'vitest';
import { extractAnswer, type Passage } from '../src/answer/extract.js';
import { germanVariants } from '../src/answer/sentence-rank.js';
import { hasPersonalPronoun } from '../src/answer/sentence-choice.js';
import { buildQuery } from '../src/search/query.js';
import { Decompounder } from '../src/text/decompound.js';

/** One German passage holding all of `text`, as extractAnswer receives it. */
function passage(text: string): Passage {
  return { doc: { id: 'd1', title: 'T', date: null, text, language: 'de', bodyStart: 0, pages: null }, start: 0, end: text.length, score: 1 };
}

/** idf per query group from a label → idf table (1 for labels not named). */
function idfsOf(groups: { label: string }[], table: Record<string, number>): number[] {
  return groups.map((g) => table[g.label] ?? 1);
}

describe('sentence choice: German verb forms, compounds, question words', () => {
  it('bridges participle, particle and past forms of one verb', () => {
    const share = (a: string, b: string) => germanVariants(a).some((x) => germanVariants(b).includes(x));
    expect(share('gespielt', 'spielt')).toBe(true); // "gespielt" / "spielte"
    expect(share('spielt', 'spiel')).toBe(true); // "spielte" / "spielen"
    expect(germanVariants('wiederherzustell')).toContain('stell'); // "wiederherzustellen"
    expect(germanVariants('zuruckerobert')).toContain('erobert');
    expect(germanVariants('produziert')).toContain('produzi'); // "produzieren"
    // Short words and numbers are left alone.
    expect(germanVariants('ab')).toEqual(['ab']);
    expect(germanVariants('2015')).toEqual(['2015']);
    expect(share('haus', 'maus')).toBe(false);
  });

  it('picks the second sentence when only its verb form answers the question', () => {
    // "gespielt" (question) meets "spielte" (second sentence); the first sentence only shares "Ausland".
    const text = 'Die Mannschaft war 1950 im Ausland bekannt. Die Mannschaft spielte 1962 erstmals dort.';
    const q = 'Wann hat die Mannschaft im Ausland gespielt?';
    const { groups } = buildQuery(q, null);
    const a = extractAnswer(q, groups, idfsOf(groups, { gespielt: 3 }), [passage(text)], null, false);
    expect(a.abstained).toBe(false);
    expect(a.citations[0].quote).toBe('Die Mannschaft spielte 1962 erstmals dort.');
    expect(a.short).toBe('1962');
  });

  it('matches a question compound through its parts in the sentence ("Sammlung von Kostümen")', () => {
    const text = 'Das Museum umfasst viele Räume. Die Sammlung von Kostümen umfasst 14.000 Kleider.';
    const q = 'Was umfasst die Kostümsammlung?';
    const { groups } = buildQuery(q, null);
    const dec = new Decompounder(new Map([['kostüm', 5], ['sammlung', 5]]));
    const a = extractAnswer(q, groups, idfsOf(groups, { kostümsammlung: 3 }), [passage(text)], dec, false);
    expect(a.citations[0].quote).toBe('Die Sammlung von Kostümen umfasst 14.000 Kleider.');
    expect(a.answer).toContain('**Sammlung**');
  });

  it('question words are no evidence: a sentence that only repeats "beim" is not the answer', () => {
    const text = 'Beim Finale regnete es in Strömen. Lady Gaga sang die Nationalhymne.';
    const q = 'Welches Lied sang Lady Gaga beim Finale?';
    const { groups } = buildQuery(q, null);
    // "beim" is rare in documents (high idf), but it is part of the question's frame.
    const a = extractAnswer(q, groups, idfsOf(groups, { beim: 6 }), [passage(text)], null, false);
    const n = Number(/\[(\d)\]$/.exec(a.answer)![1]);
    expect(a.citations[n - 1].quote).toBe('Lady Gaga sang die Nationalhymne.');
  });
});

describe('sentence choice: sentences naming their topic by a pronoun (src/answer/sentence-choice.ts)', () => {
  it('tells personal pronouns from possessives and other words', () => {
    expect(hasPersonalPronoun('In den meisten westlichen Ländern ist sie heute verboten.')).toBe(true);
    expect(hasPersonalPronoun('At 39 he was the oldest quarterback.')).toBe(true);
    expect(hasPersonalPronoun('Seine Mannschaft gewann das Spiel.')).toBe(false);
    expect(hasPersonalPronoun('Die Siedlung liegt am Fluss.')).toBe(false);
  });

  it('reads a sentence naming its topic by a pronoun with the sentence before it', () => {
    // The answer sentence matches no question word: "sie" stands for the Prügelstrafe of the first one.
    const text = 'Die Prügelstrafe war früher weit verbreitet. In den meisten westlichen Ländern ist sie heute verboten.';
    const q = 'Wo wird die Prügelstrafe nicht mehr angewandt?';
    const { groups } = buildQuery(q, null);
    const a = extractAnswer(q, groups, idfsOf(groups, {}), [passage(text)], null, false);
    expect(a.notStated).toBe(false);
    expect(a.citations[0].quote).toBe(text);
    expect(a.short).toBe('Ländern');
  });

  it('takes the short answer of a pronoun sentence from that sentence, not from its antecedent', () => {
    const text = 'Luke Kuechly erzielte in der Saison insgesamt 118 Tackles. Gegen Denver gelangen ihm nur 5 Tackles.';
    const q = 'Wie viele Tackles gelangen Kuechly gegen Denver?';
    const { groups } = buildQuery(q, null);
    const a = extractAnswer(q, groups, idfsOf(groups, { denver: 4, tackles: 2 }), [passage(text)], null, false);
    expect(a.citations[0].quote).toBe(text);
    expect(a.short).toContain('5');
    expect(a.short).not.toContain('118');
  });

});

describe('sentence choice: a typed question whose best sentence has no candidate (src/answer/sentence-choice.ts)', () => {
  const q = 'Wer gewann die Meisterschaft im Jahr 2000?';
  const idf = { meisterschaft: 3, gewann: 3, jahr: 2, '2000': 2 };
  const best = 'Die Meisterschaft im Jahr 2000 gewann überraschend niemand.';
  // Covers 0.4 of what the best sentence covers: enough beside it, too little from another passage.
  const weak = 'Im Jahr 2000 war Jan Kowalski dort Trainer.';
  const two = (a: string, b: string): Passage[] => [
    { doc: { id: 'd1', title: 'A', date: null, text: a, language: 'de', bodyStart: 0, pages: null }, start: 0, end: a.length, score: 1 },
    { doc: { id: 'd2', title: 'B', date: null, text: b, language: 'de', bodyStart: 0, pages: null }, start: 0, end: b.length, score: 0.9 },
  ];

  it('takes the candidate of a weaker sentence of the same passage', () => {
    const { groups } = buildQuery(q, null);
    const a = extractAnswer(q, groups, idfsOf(groups, idf), [passage(`${best} ${weak}`)], null, false);
    expect(a.short).toContain('Kowalski');
  });

  it('quotes the best sentence without a short answer when the weak one is from another passage', () => {
    const { groups } = buildQuery(q, null);
    const a = extractAnswer(q, groups, idfsOf(groups, idf), two(best, weak), null, false);
    expect(a.notStated).toBe(false);
    expect(a.short).toBeUndefined();
    expect(a.citations[0].quote).toBe(best);
  });
});
