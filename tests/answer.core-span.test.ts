import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../src/answer/question.js';
import { findCandidates } from '../src/answer/candidates.js';
import { coreSpan } from '../src/answer/core-span.js';
import { tokenize } from '../src/text/tokenize.js';

/**
 * The whole phrase and the core span of the first candidate of `kind` in `text`; `asked` are the
 * sentence words that count as matched question words, `common` the dictionary words.
 */
function spans(question: string, text: string, kind: string, asked: string[] = [], common: string[] = []) {
  const qa = analyzeQuestion(question);
  const tokens = tokenize(text);
  const set = new Set(common);
  const c = findCandidates(text, tokens, (w) => set.has(w)).find((x) => x.kind === kind);
  if (!c) throw new Error(`no ${kind} candidate in: ${text}`);
  const matched = tokens.map((t) => asked.includes(t.norm));
  const core = coreSpan(qa, c, tokens, matched);
  return [text.slice(c.start, c.end), text.slice(core.start, core.end)];
}

describe('core span of a typed candidate (SQuAD-style short answer)', () => {
  it.each([
    // Hedges go, the counted noun goes (the answer line still shows it).
    ['How many points did the defense surrender?', 'Die Verteidigung gab nur 308 Punkte ab.', ['punkte'], 'nur 308 Punkte', '308'],
    ['How many teams did he lead?', 'Er führte zwei verschiedene Teams zum Sieg.', ['teams'], 'zwei verschiedene Teams', 'zwei'],
    // A counted noun the question does not name is no part of the span either ("390" for "settlers").
    ['How many settlers settled there?', 'Von den ursprünglich 390 Personen waren viele gestorben.', [], '390 Personen', '390'],
    // A rate the question asks for: figure only; one it does not ask for stays with its noun.
    ['How many drones per month?', 'Geplant sind rund 100 Drohnen im Monat.', ['drohnen', 'monat'], 'rund 100 Drohnen im Monat', '100'],
    ['How many drones will be built?', 'Geplant sind rund 100 Drohnen im Monat.', ['drohnen'], 'rund 100 Drohnen im Monat', '100 Drohnen im Monat'],
    // Bounds change the amount and stay; so do frequency words and units of measure.
    ['How many works of art are there?', 'Die Sammlungen umfassen über 70.000 Kunstwerke aus Asien.', ['kunstwerke'], 'über 70.000 Kunstwerke', 'über 70.000'],
    ['How many times did Polonia win the cup?', 'Polonia gewann den Pokal zwei Mal.', ['pokal'], 'zwei Mal', 'zwei Mal'],
    ['How much does the port cost?', 'Der Bau soll rund 420 Millionen Euro kosten.', ['kosten'], 'rund 420 Millionen Euro', '420 Millionen Euro'],
  ])('%s | %s', (q, text, asked, phrase, core) => {
    expect(spans(q, text, 'number', asked, ['punkte', 'teams', 'personen', 'drohnen', 'monat', 'kunstwerke', 'mal'])).toEqual([phrase, core]);
  });

  it('a figure glued to a noun ("5-Zylinder-Zweitaktmotor") is the figure; a glued unit stays ("45-megawatt")', () => {
    expect(spans('How many cylinders does the engine have?', 'Es ist ein 5-Zylinder-Zweitaktmotor mit Heißdampf.', 'number')).toEqual(['5-Zylinder-Zweitaktmotor', '5']);
    expect(spans('How many turbines?', 'It is a 45-megawatt farm.', 'number')).toEqual(['45-megawatt', '45-megawatt']);
  });

  it('"how many seconds": the named time unit leaves a duration', () => {
    expect(spans('How many seconds were left?', 'Es blieben nur 17 Sekunden.', 'duration', ['sekunden'])).toEqual(['nur 17 Sekunden', '17']);
    // Not named ("how long"): the unit is part of the answer.
    expect(spans('How long did it take?', 'Es dauerte nur 17 Sekunden.', 'duration')).toEqual(['nur 17 Sekunden', '17 Sekunden']);
  });

  it.each([
    ['When did BSkyB announce it?', 'Am 8. Februar 2007 gab BSkyB die Absicht bekannt.', 'Am 8. Februar 2007', '8. Februar 2007'],
    ['When does construction start?', 'Construction starts in May 2026.', 'in May 2026', 'May 2026'],
    // A preposition that changes the date's meaning stays.
    ['When should the drones be delivered?', 'Die Drohnen sollen bis April geliefert werden.', 'bis April', 'bis April'],
    // A year question takes the year alone.
    ['What year saw the first use?', 'Frühe Versionen waren ab 1851 in Gebrauch.', 'ab 1851', '1851'],
    ['When was it first used?', 'Frühe Versionen waren ab 1851 in Gebrauch.', 'ab 1851', 'ab 1851'],
  ])('date: %s', (q, text, phrase, core) => {
    expect(spans(q, text, 'date')).toEqual([phrase, core]);
  });
});
