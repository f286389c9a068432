/**
 * The failure kinds of a fresh-user trial (issue 9, /work/notes/fresh-cases) on the tester's own
 * documents (tests/fixtures/fresh: a German shipyard report, an English solar-farm report, a
 * German museum report in Markdown; not XQuAD text), asked through Dossier with EMBEDDINGS=off
 * and the bundled corpus present, as in the trial. Rows fixed on branch kinds2 are asserted;
 * rows still wrong are `it.todo` with the trial's guessed cause.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import type { Answer } from '../src/answer/types.js';
import { analyzeQuestion } from '../src/answer/question.js';
import { typeFit } from '../src/answer/rank.js';
import { ABSTAIN_TEXT, ABSTAIN_TEXT_DE } from '../src/answer/abstain-text.js';
import { findCandidates } from '../src/answer/candidates.js';
import { findBodies } from '../src/answer/bodies.js';
import { narrowFigures } from '../src/answer/figure-choice.js';
import { tokenize } from '../src/text/tokenize.js';
import { ROOT, testConfig } from './helpers.js';
import { boldPhrase } from './kit/answer-line.js';

const DIR = path.join(ROOT, 'tests', 'fixtures', 'fresh');

/** Question, a text the short answer must contain, and the reported answer type. */
type Row = [question: string, short: string, type: string];

/** Wrong in the trial, right now (kinds: typing, titled persons, Dessen-sentences, figure choice, ordinals). */
const FIXED: Row[] = [
  ['How long is each ship?', '86 Meter', 'number'],
  ['How long is each ship in metres?', '86 Meter', 'number'],
  ['Wer ist Bezirksleiter der IG Metall?', 'Daniel Friedrich', 'person'],
  ['Wer forderte, die neuen Stellen nach Tarif zu bezahlen?', 'Daniel Friedrich', 'person'],
  ['Wer ist Vorstandschef von Fjordhav Capital?', 'Lars Eriksen', 'person'],
  ['Wie viele Menschen beschäftigt die Werft derzeit?', '1.200 Menschen', 'number'],
  ['Wie viel hat der Neubau gekostet?', '64 Millionen Euro', 'number'],
  ['Wann wird das letzte Schiff ausgeliefert?', '2031', 'date'],
  ['Wie viele Hektar umfasst der Solarpark?', '210 hectares', 'number'],
  ['Welches Ministerium finanziert den Auftrag?', 'Bundesministerium für Bildung und Forschung', 'organisation'],
  ['Which institute ordered the research ships?', 'Alfred-Wegener-Institut', 'organisation'],
  ['Who is the director of the Alfred Wegener Institute?', 'Antje Boetius', 'person'],
  ['When was the solar farm approved?', 'Tuesday, 10 September 2024', 'date'],
  // Ding gives "christening" only as "christliche Taufe": the noun of such a pair is a translation.
  ['Where will the christening take place?', 'Warnemünde', 'place'],
];

/** Right in the trial and still right (guards against the fixes above). */
const KEPT: Row[] = [
  ['Who is the managing director of Neptun Marinebau?', 'Katrin Albrecht', 'person'],
  ['How much is the order worth?', '480 Millionen Euro', 'number'],
  ['When will the first ship be delivered?', 'Herbst 2027', 'date'],
  ['How many new employees will the shipyard hire?', '350 neue Mitarbeiter', 'number'],
  ['When did the shipyard file for insolvency?', '2022', 'date'],
  ['How many scientists can each ship carry?', '40 Wissenschaftler', 'number'],
  ['Wie lange können die Schiffe rein elektrisch fahren?', 'acht Stunden', 'duration'],
  ['Wann ist der Stapellauf des ersten Schiffes geplant?', 'Mai 2026', 'date'],
  ['Wie viel kostet ein Schiff laut Bund der Steuerzahler?', '120 Millionen Euro', 'number'],
  ['Seit wann ist die Polarstern im Einsatz?', '1982', 'date'],
  ['Wie viel hat der Investor in neue Hallen investiert?', '90 Millionen Euro', 'number'],
  ['Wo hat das Alfred-Wegener-Institut seinen Sitz?', 'Bremerhaven', 'place'],
  ['Which company is developing Aire Valley Solar?', 'Brightfield Renewables Ltd', 'organisation'],
  ['Who chairs the planning committee?', 'Helen Marsh', 'person'],
  ['How many homes will the farm power?', '38,000 homes', 'number'],
  ['How long will construction take?', '18 months', 'duration'],
  ['How long will the solar farm operate?', '40 years', 'duration'],
  ['Wer ist die Chefin von Brightfield?', 'Priya Nair', 'person'],
  ['Wer hat das Stadtmuseum eröffnet?', 'Martin Horn', 'person'],
  ['Who heads the museum?', 'Sabine Vogt', 'person'],
  ['Wie viele Besucher erwartet die Museumsleiterin im ersten Jahr?', '150.000 Besucher', 'number'],
  ['How large is the exhibition space?', '3.500 Quadratmeter', 'number'],
];

/** Made up in the trial; now "not stated" (a person noun admits no organisation, a weight no count). */
const NOT_STATED: [string, string][] = [
  ['Who is the captain of the Polarstern?', 'person'],
  ['Wie viele Tonnen wiegt ein Forschungsschiff?', 'number'],
];

/** Still wrong: the trial's guessed cause. */
const TODO: [string, string][] = [
  ['How long will it take to build the ships? → sechs Jahre', "'build' matches English 'Construction … 18 months'; 'Bauzeit' not reached"],
  ['How long did it take to build the museum? → fünf Jahre', 'same: the solar report’s 18 months'],
  ['Welchen Antrieb bekommen die Schiffe? → Hybridantrieb aus Dieselmotoren und Batterien', "cut short: 'Dieselmotoren'"],
  ['Wer ist der Sprecher der Gegner? → Tom Whitaker', "cut short: 'Whitaker'"],
  ['Wie viel kostet das Solarprojekt? → 95 million pounds', "'Solarprojekt' not matched; the museum's 'kostete' wins"],
  ['Wie groß ist die Kapazität des Batteriespeichers? → 50 megawatt-hours', "'Kapazität' typed power; megawatt-hours not accepted"],
  ['Wo steht der Neubau? → am Rotteckring', 'retrieves the drone report'],
  ["What are the museum's opening hours? → dienstags bis sonntags von 10 bis 18 Uhr", "'hours' matches megawatt-hours"],
  ['How many panels will the solar farm have? → not stated', "'50' of '50 megawatt-hours' offered (time spans, years and measures are no longer taken; rejecting every count of another noun cost 0.05 number answer@1 on the tuning part)"],
  ['When will the solar farm be completed exactly, on which day? → not stated', 'the approval day offered'],
  ['Wie viele Mitarbeiter hat das Stadtmuseum? → not stated', "the shipyard's 350 employees offered (other document)"],
  ['What is the capital of Australia? → abstain', 'off-topic not abstained'],
];

/** The quote the answer line cites. */
function cited(a: Answer) {
  const n = Number(/\[(\d+)\]$/.exec(a.answer)?.[1] ?? 0);
  return a.citations[n - 1];
}

describe('fresh-user trial kinds (tests/fixtures/fresh)', () => {
  let d: Dossier;
  const answers = new Map<string, Answer>();
  const asked = [...FIXED, ...KEPT].map((r) => r[0]).concat(NOT_STATED.map((r) => r[0]), ['Wie hoch ist die Zugspitze?', 'Who wrote Hamlet?']);
  beforeAll(async () => {
    d = await Dossier.open(testConfig());
    for (const f of ['werft.txt', 'solar.txt', 'museum.md']) await d.ingest({ text: fs.readFileSync(path.join(DIR, f), 'utf8'), source: f });
    for (const q of asked) answers.set(q, await d.ask(q));
  }, 90_000);
  afterAll(async () => {
    await d.close();
  });

  it.each([...FIXED, ...KEPT])('%s → %s (%s)', (q, short, type) => {
    const a = answers.get(q)!;
    expect(a.abstained).toBe(false);
    expect(a.notStated).toBe(false);
    // The answer line shows the row's phrase (with what a figure counts); `short` is that
    // phrase or its core span (src/answer/core-span.ts: "1.200" of "1.200 Menschen").
    expect(boldPhrase(a.answer)).toContain(short);
    expect(a.short!.includes(short) || short.includes(a.short!)).toBe(true);
    expect(a.answerType).toBe(type);
    expect(cited(a).quote).toContain(a.short);
  });

  it.each(NOT_STATED)('%s → not stated (%s)', (q, type) => {
    const a = answers.get(q)!;
    expect(a.notStated).toBe(true);
    expect(a.answerType).toBe(type);
    expect(a.short).toBeUndefined();
  });

  it('abstains in the asker’s language', () => {
    const de = answers.get('Wie hoch ist die Zugspitze?')!;
    const en = answers.get('Who wrote Hamlet?')!;
    expect(de.abstained).toBe(true);
    expect(de.answer).toBe(ABSTAIN_TEXT_DE);
    expect(en.abstained).toBe(true);
    expect(en.answer).toBe(ABSTAIN_TEXT);
  });

  for (const [row, why] of TODO) it.todo(`${row} (${why})`);
});

describe('question typing kinds of the trial', () => {
  it.each([
    ['Which institute ordered the research ships?', 'organisation'],
    ['Which agency approved the plan?', 'organisation'],
    ['Which office issued the permit?', 'organisation'],
    ['Welches Ministerium finanziert den Auftrag?', 'organisation'],
    ['Welches Institut betreibt die Polarstern?', 'organisation'],
    ['Welches Amt prüft den Antrag?', 'organisation'],
    ['Welches Bundesamt ist zuständig?', 'organisation'],
  ])('%s → %s', (q, type) => {
    expect(analyzeQuestion(q).type).toBe(type);
  });

  it.each(['Who is the director of the Alfred Wegener Institute?', 'Who is the captain of the Polarstern?', 'Who is the head of the agency?', 'Wer ist Bezirksleiter der IG Metall?'])(
    '%s asks for a person, not the organisation of its topic',
    (q) => {
      const a = analyzeQuestion(q);
      expect(a.type).toBe('person');
      expect(a.personNoun).toBe(true);
    },
  );

  it('"Who founded …" keeps the organisation fallback (no person noun)', () => {
    expect(analyzeQuestion('Who founded the company?').personNoun).toBeUndefined();
  });

  it('"How long is/are the <thing>" accepts a length or a duration; a take/last verb asks for a duration', () => {
    for (const q of ['How long is each ship?', 'How long are the ships?', 'How long is the bridge?', 'Wie lang ist jedes Schiff?']) {
      const a = analyzeQuestion(q);
      expect([a.type, a.unit, a.orDuration]).toEqual(['number', 'distance', true]);
    }
    expect(analyzeQuestion('How long will construction take?').type).toBe('duration');
    expect(analyzeQuestion('How long did the war last?').type).toBe('duration');
  });

  it('"how many X" records what is counted', () => {
    expect(analyzeQuestion('How many panels will the solar farm have?').countNoun).toBe('panels');
    expect(analyzeQuestion('Wie viele Tonnen wiegt es?').countNoun).toBeUndefined();
  });

  it('a unit after "wie viele / how many" sets the unit family', () => {
    expect(analyzeQuestion('Wie viele Tonnen wiegt ein Forschungsschiff?').unit).toBe('weight');
    expect(analyzeQuestion('How many kilometres is the route?').unit).toBe('distance');
    expect(analyzeQuestion('How many pounds of steam does it use?').unit).toBe('count');
    expect(analyzeQuestion('Wie viele Menschen beschäftigt die Werft?').unit).toBe('count');
  });
});

describe('weekday dates (src/answer/candidates.ts)', () => {
  it('a weekday keeps the date after its comma', () => {
    for (const [s, want] of [
      ['The farm was approved on Tuesday, 10 September 2024, after a hearing.', 'on Tuesday, 10 September 2024'],
      ['Am Dienstag, dem 3. März 2025, begann der Bau.', 'Am Dienstag, dem 3. März 2025'],
    ]) {
      const dates = findCandidates(s, tokenize(s), null).filter((c) => c.kind === 'date').map((c) => s.slice(c.start, c.end));
      expect(dates).toContain(want);
    }
    const s = 'On Friday, the council met.';
    expect(findCandidates(s, tokenize(s), null).filter((c) => c.kind === 'date').map((c) => s.slice(c.start, c.end))).toEqual(['On Friday']);
  });
});

describe('bodies named "für …" (src/answer/bodies.ts)', () => {
  it('a ministry or institute keeps its "für X und Y" name, also after "vom"', () => {
    const s = 'Finanziert wird er vom Bundesministerium für Bildung und Forschung, den Rest tragen die Länder.';
    const tokens = tokenize(s);
    const spans = findBodies(tokens).map((b) => s.slice(tokens[b.from].start, tokens[b.to].end));
    expect(spans).toEqual(['Bundesministerium für Bildung und Forschung']);
    const t = 'Das Institut für Meereskunde misst die Temperatur.';
    const tt = tokenize(t);
    expect(findBodies(tt).map((b) => t.slice(tt[b.from].start, tt[b.to].end))).toEqual(['Institut für Meereskunde']);
  });
});

describe('figure choice (src/answer/figure-choice.ts)', () => {
  /** The candidates of a sentence that narrowFigures keeps, as text; `matchedWords` marks the question's words. */
  function kept(question: string, sentence: string, matchedWords: string[]): string[] {
    const tokens = tokenize(sentence);
    const matched = tokens.map((t) => matchedWords.includes(t.norm));
    const cands = findCandidates(sentence, tokens, null).filter((c) => c.kind === 'number' || c.kind === 'date');
    const qa = analyzeQuestion(question);
    return narrowFigures(qa, cands, cands.map((_, i) => i), tokens, matched).map((i) => sentence.slice(cands[i].start, cands[i].end));
  }

  it('keeps the count that carries the asked noun', () => {
    expect(kept('Wie viele Menschen beschäftigt die Werft?', 'Die Werft will 350 neue Mitarbeiter einstellen; derzeit beschäftigt sie rund 1.200 Menschen.', ['werft', 'beschäftigt', 'menschen'])).toEqual(['rund 1.200 Menschen']);
  });

  it('drops a difference ("acht Millionen mehr als geplant")', () => {
    expect(kept('Wie viel hat der Neubau gekostet?', 'Der Neubau kostete 64 Millionen Euro, acht Millionen mehr als geplant.', ['neubau', 'kostete'])).toEqual(['64 Millionen Euro']);
  });

  it('keeps the date after the asked ordinal', () => {
    const s = 'Das erste Schiff soll im Herbst 2027 ausgeliefert werden, das letzte im Jahr 2031.';
    expect(kept('Wann wird das letzte Schiff ausgeliefert?', s, ['schiff', 'ausgeliefert', 'letzte']).join(' ')).toContain('2031');
    expect(kept('Wann wird das letzte Schiff ausgeliefert?', s, ['schiff', 'ausgeliefert', 'letzte']).join(' ')).not.toContain('2027');
    expect(kept('When will the first ship be delivered?', 'The first ship is due in 2027, the last in 2031.', ['ship', 'first']).join(' ')).not.toContain('2031');
  });

  it('leaves the pool as it is when no candidate passes a rule', () => {
    expect(kept('How many homes will the farm power?', 'It will power 38,000 homes and cover 210 hectares.', ['power']).length).toBe(2);
  });
});

describe('no count of another thing (src/answer/rank.ts typeFit)', () => {
  /** typeFit of each number/duration candidate of the sentence for the question, as "text=fit". */
  function fits(question: string, sentence: string): string[] {
    const tokens = tokenize(sentence);
    const qa = analyzeQuestion(question);
    return findCandidates(sentence, tokens, null)
      .filter((c) => c.kind === 'number' || c.kind === 'duration')
      .map((c) => `${sentence.slice(c.start, c.end)}=${typeFit(qa, c, tokens)}`);
  }

  it('a time span, a year or a date is no count of panels; a count of years still fits "how many years"', () => {
    const panels = fits('How many panels will the farm have?', 'The farm will operate for 40 years from 2026, approved on 10 September 2024.');
    expect(panels.length).toBeGreaterThanOrEqual(3);
    for (const f of panels) expect(f).toMatch(/=0$/);
    expect(fits('How many years will the farm operate?', 'The farm will operate for 40 years.').some((f) => !f.endsWith('=0'))).toBe(true);
  });
});
