/** The eval's own metrics and data helpers (scripts/lib): values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { bootstrap, containsLoose, exactMatch, normalizeAnswer, shortAnswerOf, stripMarkdown, tokenF1 } from '../scripts/lib/metrics.js';
import { answerType } from '../scripts/lib/wh.js';
import { cutAnswerSentence, sentenceStarts } from '../scripts/lib/near-miss.js';
import { loadEvalData } from '../scripts/lib/data.js';
import { splitUnits } from '../scripts/lib/split.js';
import { pairedDiffs, parseDump } from '../scripts/lib/dump-pairs.js';

describe('SQuAD v1.1 normalisation, EM and F1 (with German articles)', () => {
  it('drops case, punctuation and English and German articles', () => {
    expect(normalizeAnswer('Der Hafen, in Kiel!')).toBe('hafen in kiel');
    expect(normalizeAnswer('  The  "Eiffel" Tower. ')).toBe('eiffel tower');
    expect(normalizeAnswer('einer der Besten')).toBe('besten');
  });
  it('exact match after normalisation', () => {
    expect(exactMatch('The Eiffel Tower', 'eiffel tower')).toBe(1);
    expect(exactMatch('rund 100 Drohnen', '100 Drohnen')).toBe(0);
  });
  it('token F1 over the multiset of tokens', () => {
    // 2 shared tokens; precision 2/3, recall 2/4 → F1 = 4/7
    expect(tokenF1('rund 100 Drohnen', '100 Drohnen im Monat')).toBeCloseTo(4 / 7, 10);
    expect(tokenF1('100 100', '100')).toBeCloseTo(2 / 3, 10); // a repeated token counts once per gold occurrence
    expect(tokenF1('Paris', 'Berlin')).toBe(0);
    expect(tokenF1('', 'Berlin')).toBe(0);
  });
});

describe('answer lines', () => {
  it('strips Discord Markdown, escapes and citation marks', () => {
    expect(stripMarkdown('**rund 100 Drohnen** im Monat [1]')).toBe('rund 100 Drohnen im Monat');
    expect(stripMarkdown('Die \\*ZT-180\\* trägt __50 kg__ [2] [3]')).toBe('Die *ZT-180* trägt 50 kg');
  });
  it('the short answer is the `short` field, else the leading bold span, else empty', () => {
    expect(shortAnswerOf({ answer: '**mindestens 6.000** [1]' })).toBe('mindestens 6.000');
    expect(shortAnswerOf({ answer: 'Danach soll **Xi’an Bingo** planen [1]' })).toBe('');
    expect(shortAnswerOf({ answer: '**x** [1]', short: 'April' })).toBe('April');
  });
  it('loose containment folds case and whitespace, never matches an empty needle', () => {
    expect(containsLoose('Bis  April liefern', 'bis april')).toBe(true);
    expect(containsLoose('abc', '')).toBe(false);
  });
});

describe('answer types by wh-word (EN and DE)', () => {
  it.each([
    ['How many drones per month?', 'quantity'],
    ['Wie viele Drohnen pro Monat?', 'quantity'],
    ['When will they be delivered?', 'date'],
    ['In welchem Jahr wurde er geboren?', 'date'],
    ['Who warned about exports?', 'person'],
    ['Wer warnte?', 'person'],
    ['Where is the factory?', 'place'],
    ['Wo steht die Fabrik?', 'place'],
    ['Warum weiden dort Schafe?', 'reason'],
    ['How does the engine work?', 'manner'],
    ['Which company negotiates?', 'entity'],
    ['Welches Unternehmen verhandelt?', 'entity'],
    ['Is China considering it?', 'other'],
  ])('%s → %s', (q, t) => expect(answerType(q)).toBe(t));
});

describe('near-miss cuts', () => {
  const p = 'Der Hafen wird ausgebaut. Der Bau beginnt z. B. im März 2027 mit Dr. Meier. Das Land zahlt.';
  it('finds sentence starts, not after abbreviations', () => {
    expect(sentenceStarts(p)).toEqual([0, 26, 76]);
  });
  it('cuts exactly the sentence holding the answer', () => {
    expect(cutAnswerSentence(p, 'März 2027', p.indexOf('März'))).toBe('Der Hafen wird ausgebaut. Das Land zahlt.');
    expect(cutAnswerSentence(p, 'März 2027', 0)).toBe('Der Hafen wird ausgebaut. Das Land zahlt.'); // wrong offset: first occurrence
    expect(cutAnswerSentence('Nur ein Satz mit 5 Euro.', '5 Euro', 17)).toBeNull();
    expect(cutAnswerSentence(p, 'Berlin', 0)).toBeNull();
  });
});

describe('paragraph bootstrap', () => {
  const rows = [
    ...Array.from({ length: 3 }, () => ({ cluster: 'a', values: { m: 1 } })),
    { cluster: 'b', values: { m: 0 } },
  ];
  it('the value is the mean over questions; the interval holds it and stays in [0, 1]', () => {
    const e = bootstrap(rows, ['m'], 500, 1).m;
    expect(e.value).toBeCloseTo(0.75, 10);
    expect(e.lo).toBeLessThanOrEqual(e.value);
    expect(e.hi).toBeGreaterThanOrEqual(e.value);
    // resampling whole paragraphs: only {a,a}, {a,b}, {b,b} are possible → means 1, 0.75, 0
    expect([0, 0.75, 1]).toContain(e.lo);
    expect([0, 0.75, 1]).toContain(e.hi);
  });
  it('a constant metric has a zero-width interval; the same seed gives the same interval', () => {
    const c = bootstrap(rows.map((r) => ({ ...r, values: { m: 1 } })), ['m']).m;
    expect([c.lo, c.value, c.hi]).toEqual([1, 1, 1]);
    expect(bootstrap(rows, ['m'], 200, 7)).toEqual(bootstrap(rows, ['m'], 200, 7));
  });
});

describe('eval data', () => {
  it('the built-in sample: every answer is a span of its paragraph, both parts have questions', () => {
    const d = loadEvalData({ sample: true, need: { xquad: true, mlqa: false, distractors: true } });
    const x = d.xquad!;
    for (const q of x.enQuestions) expect(x.de.get(q.gold)!.slice(q.answerStart, q.answerStart! + q.answer.length)).toBe(q.answer);
    for (const q of x.deQuestionsOverEn) expect(x.en.get(q.gold)!.slice(q.answerStart, q.answerStart! + q.answer.length)).toBe(q.answer);
    expect(new Set(x.enQuestions.map((q) => q.part))).toEqual(new Set(['tuning', 'reporting']));
    expect(d.note).toBeDefined();
  });
  it('an explicitly given missing file is an error naming it and the public sets', () => {
    expect(() => loadEvalData({ xquadDe: '/nonexistent/x.json', need: { xquad: true, mlqa: false, distractors: false } })).toThrow(/\/nonexistent\/x\.json[\s\S]*not found[\s\S]*XQuAD/);
  });
  it('the split gives half of the units (rounded up) to tuning, stably', () => {
    const keys = Array.from({ length: 9 }, (_, i) => `k${i}`);
    const a = splitUnits(keys);
    expect([...a.values()].filter((p) => p === 'tuning')).toHaveLength(5);
    expect(splitUnits([...keys].reverse())).toEqual(a);
  });
});

describe('paired dump differences (scripts/lib/dump-pairs.ts)', () => {
  it('pairs a question of the answer run with itself, not with its near-miss row of the same text', () => {
    const q = 'Wann wurde die Börse gegründet?';
    const before = parseDump(
      [
        JSON.stringify({ lang: 'de', q, gold: '1817', a1: false, f1: 0, short: '2009' }),
        JSON.stringify({ run: 'nearMiss', lang: 'de', q, gold: '1817', refused: false, short: '2009' }),
      ].join('\n'),
    );
    const after = [
      { lang: 'de', q, gold: '1817', a1: true, f1: 1, short: '1817' },
      { run: 'nearMiss', lang: 'de', q, gold: '1817', refused: true, short: null },
    ];
    const d = pairedDiffs(before, after);
    expect(d.de_de.n).toBe(1);
    expect(d.de_de.a1).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(d.de_de.f1).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(d.de_de.changed).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(d.nearMiss_de.n).toBe(1);
    expect(d.nearMiss_de.refused).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(d.en_de).toBeUndefined();
    expect(d.unanswerable_de).toBeUndefined();
  });
});
