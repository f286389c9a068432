import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { analyzeQuestion } from '../src/answer/question.js';
import { findCandidates } from '../src/answer/candidates.js';
import { spanCandidates } from '../src/answer/span.js';
import { tokenize } from '../src/text/tokenize.js';
import { testConfig } from './helpers.js';
import { boldPhrase } from './kit/answer-line.js';

/** The answer line's citation number and the quote it points at. */
function cited(a: { answer: string; citations: { n: number; quote: string; document: { title: string } }[] }) {
  const n = Number(/\[(\d+)\]$/.exec(a.answer)?.[1] ?? 0);
  return a.citations[n - 1];
}

describe('seed table of issue 9 (bundled article)', () => {
  let d: Dossier;
  beforeAll(async () => {
    d = await Dossier.open(testConfig());
  });
  afterAll(async () => {
    await d.close();
  });

  it.each([
    ['When should the drones be delivered to Russia?', 'bis April', 'date'],
    ['Who makes the ZT-180?', "Xi'an Bingo Intelligent Aviation Technology", 'organisation'],
    ['Who is the NATO Secretary General?', 'Jens Stoltenberg', 'person'],
    // Own seed questions, one or more of each answer type.
    ['Wer ist der chinesische Chefdiplomat?', 'Wang Yi', 'person'],
    ["Who is China's chief diplomat?", 'Wang Yi', 'person'],
    ['Where did Wang Yi visit?', 'Kreml', 'place'],
    ['Welches Unternehmen stellt die ZT-180 her?', "Xi'an Bingo Intelligent Aviation Technology", 'organisation'],
    ['Wie schwer ist der Sprengkopf der ZT-180?', '35 bis 50 Kilogramm', 'number'],
    ['Which Iranian drone does the ZT-180 resemble?', 'Shahed-136', 'other'],
    // "Wie das Magazin weiter berichtet" names the magazine only by its kind: its referent, two
    // sentences earlier, is the answer (src/answer/antecedent.ts).
    ['Which magazine reported the drone deal?', 'Spiegel', 'organisation'],
    ['Welches Magazin berichtet über den Drohnen-Deal?', 'Spiegel', 'organisation'],
    // "des Prototyps" keeps its genitive -s under Snowball: the query carries both forms.
    // The short answer is the span proper ("100"); the answer line shows what it counts.
    ['How many ZT-180 prototypes will be built?', '100', 'number', '100 Drohnen'],
    ['Wie viele Prototypen der ZT-180 sollen gebaut werden?', '100', 'number', '100 Drohnen'],
  ])('%s → %s (%s)', async (question, short, type, shown?: string) => {
    const a = await d.ask(question);
    expect(a.abstained).toBe(false);
    expect(a.notStated).toBe(false);
    expect(a.short).toBe(short);
    expect(a.answerType).toBe(type);
    // The short answer comes from the sentence cited first.
    expect(a.answer).toMatch(/\[1\]$/);
    expect(cited(a).quote).toContain(short);
    expect(boldPhrase(a.answer)).toBe(shown ?? short);
  });

  it.each([
    ['How fast is the ZT-180?', /^The documents do not say how fast/],
    ['Wie teuer ist die ZT-180?', /^Die Dokumente nennen nicht den Preis/],
  ])('near miss %s → not stated, no short answer', async (question, text) => {
    const a = await d.ask(question);
    expect(a.short).toBeUndefined();
    expect(a.notStated).toBe(true);
    expect(a.answer).toMatch(text);
  });

  // Seed rows that still fail: their answer sentence is not among the retrieved passages or the
  // question's coverage is under the abstention threshold (sentence choice / abstention, not the short answer).
  it.todo('"Where would the Chinese drones be produced?" → in Russia (¶5)');
});

describe('short answers on documents a user added (the failure kinds of issue 9)', () => {
  let u: Dossier;
  beforeAll(async () => {
    u = await Dossier.open(testConfig({}, { corpus: 'empty' }));
    await u.ingest({
      title: 'Hafen Kiel',
      source: 'test:kiel',
      text:
        'Hafen Kiel\n\nDie Seehafen Kiel GmbH betreibt seit 2010 den neuen Containerhafen an der Förde. Geschäftsführer ist Dirk Claus. ' +
        'Im Stadtteil Gaarden wohnen rund 18.000 Haushalte, die seit 2019 an das Fernwärmenetz angeschlossen sind.\n\n' +
        'Der Ausbau des Terminals kostet 85 Millionen Euro und soll bis 2027 fertig sein. Die neuen Kräne wiegen jeweils 1.200 Tonnen.',
    });
    await u.ingest({
      title: 'Leeds tram',
      source: 'test:leeds',
      text:
        'Leeds tram\n\nThe city of Leeds plans a new tram line. The line will be 14 kilometres long and will cost 520 million pounds. ' +
        'It is built by Northern Rail Partners Ltd, a company from York.\n\nConstruction starts in May 2026.',
    });
  });
  afterAll(async () => {
    await u.close();
  });

  it.each([
    // "who" takes the whole company name, not its first word or a place, and reports an organisation.
    ['Wer betreibt den Containerhafen?', 'Seehafen Kiel GmbH', 'organisation'],
    // A synonym the document writes as a compound ("harbour" → "Containerhafen") is no "not stated".
    ['Who operates the harbour?', 'Seehafen Kiel GmbH', 'organisation'],
    ['Who is the managing director?', 'Dirk Claus', 'person'],
    // "how many households" takes the count, never the year next to it ("rund" and the counted
    // noun are no part of the span; the answer line shows "rund 18.000 Haushalte").
    ['Wie viele Haushalte wohnen in Gaarden?', '18.000', 'number'],
    // "how much does it cost" takes money, not the weight in the same paragraph.
    ['How much does the terminal expansion cost?', '85 Millionen Euro', 'number'],
    // English short answers keep their unit.
    ['How long will the tram line be?', '14 kilometres', 'number'],
    ['How much will the tram line cost?', '520 million pounds', 'number'],
    // The answer is in a sentence that refers back ("It is built by …").
    ['Who builds the tram line?', 'Northern Rail Partners Ltd', 'organisation'],
    // SQuAD spans leave the article-like preposition out ("in May 2026" → "May 2026").
    ['When does construction start?', 'May 2026', 'date'],
  ])('%s → %s', async (question, short, type) => {
    const a = await u.ask(question);
    expect(a.notStated).toBe(false);
    expect(a.short).toBe(short);
    expect(a.answerType).toBe(type);
    expect(cited(a).quote).toContain(short);
  });

  it.each(['How tall are the cranes?', 'How fast will the trams run?'])('%s → not stated (no figure of that kind)', async (question) => {
    const a = await u.ask(question);
    expect(a.short).toBeUndefined();
    expect(a.abstained || a.notStated).toBe(true);
  });
});

describe('question typing (answer types inside the question)', () => {
  it.each([
    ['Peyton Manning took how many different teams to the Super Bowl?', 'number', 'count'],
    ['Mit wie vielen Interceptions erzielte er Touchdowns?', 'number', 'count'],
    ['Of the inhabitants, what percentage was Catholic?', 'number', 'percent'],
    ['What was the final score of the game?', 'number', 'any'],
    ['What was the population of the city in 1901?', 'number', 'any'],
    ['What is the last name of the player who scored?', 'person', null],
    ['Wie heißt der Quarterback, der 38 Jahre alt war?', 'person', null],
    ['Welcher Panthers-Spieler erhielt eine Strafe?', 'person', null],
    ['What actress did the translation?', 'person', null],
    ['How tall is the tower?', 'number', 'distance'],
    ['How long will the bridge be?', 'number', 'distance'],
    ['How long will the strike last?', 'duration', null],
    ['What did the king of France build?', 'other', null],
    ["During the team's playoff games, who did not throw at all?", 'person', null],
    ["A decision made by what entity restored the patents?", 'organisation', null],
    ['In what English colony were the settlers promised land?', 'place', null],
    ['Wie heißt die Verwaltungseinheit?', 'other', null],
  ])('%s → %s', (question, type, unit) => {
    const a = analyzeQuestion(question);
    expect(a.type).toBe(type);
    expect(a.unit).toBe(unit);
  });
});

describe('span candidates', () => {
  const sentence = 'Jede ZT-180 soll einen Sprengkopf von 35 bis 50 Kilogramm tragen können.';
  const tokens = tokenize(sentence);
  it('reads a range as one number phrase (no second phrase starting inside it)', () => {
    const numbers = findCandidates(sentence, tokens, null).filter((c) => c.kind === 'number').map((c) => sentence.slice(c.start, c.end));
    expect(numbers).toEqual(['35 bis 50 Kilogramm']);
  });
  it('offers the noun phrase with its attached figure for an untyped question, without the bare figure', () => {
    const qa = analyzeQuestion('What should every ZT-180 be able to carry?');
    const matched = tokens.map((t) => ['zt-180', 'tragen', 'jede'].includes(t.norm));
    const texts = spanCandidates({ qa, text: sentence, tokens, matched, ownFrom: 0, german: true, isCommon: null }).map((c) => sentence.slice(c.start, c.end));
    expect(texts).toContain('Sprengkopf von 35 bis 50 Kilogramm');
    expect(texts).toContain('Sprengkopf');
    expect(texts).not.toContain('35 bis 50 Kilogramm');
  });
  it('never names a pronoun: "It is built by …" gives the company, not "It"', () => {
    const s = 'It is built by Northern Rail Partners Ltd, a company from York.';
    const names = findCandidates(s, tokenize(s), null).filter((c) => c.kind === 'name').map((c) => s.slice(c.start, c.end));
    expect(names).toContain('Northern Rail Partners Ltd');
    expect(names).not.toContain('It');
  });
  it('a one-word name after "an der" is a place', () => {
    const s = 'Die Seehafen Kiel GmbH betreibt den Containerhafen an der Förde.';
    const forde = findCandidates(s, tokenize(s), null).find((c) => s.slice(c.start, c.end) === 'Förde');
    expect(forde?.flavour).toBe('place');
  });
});

describe('a name made of the question\'s own words is not an answer', () => {
  it('"Bowl XLIX-Champion" for "Who won Super Bowl XLIX?" is skipped, "New England Patriots" kept', async () => {
    const { answerLike } = await import('../src/answer/short.js');
    const s = 'Die New England Patriots waren der Super Bowl XLIX-Champion.';
    const tokens = tokenize(s);
    const terms = new Set(['who', 'won', 'super', 'bowl', 'xlix']);
    const matched = tokens.map((t) => terms.has(t.norm));
    const names = findCandidates(s, tokens, null).filter((c) => c.kind === 'name');
    const kept = names.filter((c) => answerLike(c, tokens, matched, terms)).map((c) => s.slice(c.start, c.end));
    expect(names.length).toBeGreaterThan(kept.length);
    expect(kept).toContain('New England Patriots');
    expect(kept.some((k) => /Bowl/.test(k))).toBe(false);
  });
});

describe('rate questions ("per month") want a rate', () => {
  let d: Dossier;
  beforeAll(async () => {
    d = await Dossier.open(testConfig());
    // An unrelated English text with "months" lowers the weight of "month" (fresh-user trial).
    await d.ingest({ text: 'title: Solar farm\nlang: en\n\nConstruction will cost £38 million and is expected to take eighteen months.', source: 'solar.txt' });
  });
  afterAll(async () => {
    await d.close();
  });

  it.each([
    // The question names the counted thing and the period: the span is the figure, the answer
    // line shows the whole rate phrase.
    ['How many ZT-180 drones per month?', '100', 'rund 100 Drohnen im Monat'],
    ['Wie viele Drohnen pro Monat?', '100', 'rund 100 Drohnen im Monat'],
    ['How many ZT-180 prototypes will be built?', '100', '100 Drohnen'],
  ])('%s → %s', async (question, short, shown) => {
    const a = await d.ask(question);
    expect(a.short).toBe(short);
    expect(boldPhrase(a.answer)).toBe(shown);
  });
});

describe('German questions prefer German evidence when both languages are stored', () => {
  let d: Dossier;
  beforeAll(async () => {
    d = await Dossier.open(testConfig({}, { corpus: 'empty' }));
    await d.ingest({ text: 'title: Neuer Containerhafen in Kiel\nlang: de\n\nDie Stadt Kiel plant am Ostufer der Förde einen neuen Containerhafen. Oberbürgermeister Ulf Kämpfer stellte das Vorhaben am 14. Mai 2024 vor.\n\nDer Bau soll rund 420 Millionen Euro kosten und drei Jahre dauern.', source: 'kiel.txt' });
    await d.ingest({ text: 'title: Solar farm near Leeds\nlang: en\n\nLeeds City Council approved a solar farm near Garforth.\n\nConstruction will cost £38 million and is expected to take eighteen months.', source: 'solar.txt' });
  });
  afterAll(async () => {
    await d.close();
  });

  it('"Wie viel kostet der Bau des Hafens?" is answered from the German text, not through "construction … cost"', async () => {
    const a = await d.ask('Wie viel kostet der Bau des Hafens?');
    // "rund" hedges the figure and is no part of the span; the answer line keeps it.
    expect(a.short).toBe('420 Millionen Euro');
    expect(boldPhrase(a.answer)).toBe('rund 420 Millionen Euro');
    expect(a.citations[0].document.title).toBe('Neuer Containerhafen in Kiel');
  });

  it('a German compound title before a name makes it a person, surname included ("Oberbürgermeister Ulf Kämpfer")', async () => {
    for (const q of ['Wer ist Oberbürgermeister von Kiel?', 'Who is the mayor of Kiel?']) {
      const a = await d.ask(q);
      expect(a.short, q).toBe('Ulf Kämpfer');
      expect(a.answerType, q).toBe('person');
    }
  });

  it('English questions still reach the German text', async () => {
    const a = await d.ask('How long will the construction of the harbour in Kiel take?');
    expect(a.citations.map((c) => c.document.title)).toContain('Neuer Containerhafen in Kiel');
  });
});
