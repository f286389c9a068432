import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { focusStated, questionFocus } from '../src/answer/focus.js';
import { analyzeQuestion } from '../src/answer/question.js';
import { findCandidates } from '../src/answer/candidates.js';
import { tokenize } from '../src/text/tokenize.js';
import type { QueryGroup } from '../src/search/lexical.js';
import { testConfig } from './helpers.js';

describe('"pound" figures are money or weight by their clause', () => {
  const unitOf = (text: string) => findCandidates(text, tokenize(text), null).find((c) => c.kind === 'number')?.unit;
  it.each([
    ['A one-way ticket costs 4 pounds.', 'money'],
    ['The bridge will cost 520 million pounds.', 'money'],
    ['Die Karte kostet 3 Pfund.', 'money'],
    ['The anchor weighs 900 pounds.', 'weight'],
    ['Der Fisch war 12 Pfund schwer.', 'weight'],
    ['They carried 50 pounds of flour.', 'weight'],
  ])('%s → %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });
});

describe('question focus (src/answer/focus.ts)', () => {
  it.each([
    // name-of: the noun after "Wie heißt der/die/das", the genitive or possessive is the topic.
    ['Wie heißt der Hund des Bürgermeisters?', 'hund', null, 'name-of'],
    ['Wie lautet der Name des Hundes?', 'hundes', null, 'name-of'],
    ['What is the name of the mayor\'s dog?', 'dog', null, 'name-of'],
    ['What is the mayor\'s dog called?', 'dog', null, 'name-of'],
    // attribute-of: "What is the X of Y", "Was ist der/die/das X des Y".
    ['What is the basic unit of territorial division in Poland?', 'unit', null, 'attribute-of'],
    ['Was ist die Spurweite der Eisenbahnstrecken in Victoria?', 'spurweite', null, 'attribute-of'],
    ['What is the price of the drone?', 'price', 'money', 'attribute-of'],
    ['Was ist der Preis der ZT-180?', 'preis', 'money', 'attribute-of'],
    ['What is the top speed of the ferry?', 'speed', 'speed', 'attribute-of'],
    ['Was ist die Höchstgeschwindigkeit des Zuges?', 'höchstgeschwindigkeit', 'speed', 'attribute-of'],
    // how-adjective: the attribute noun after "wie hoch ist", with the family of its last part.
    ['Wie hoch waren die jährlichen Sendegebühren für die Kanäle?', 'sendegebühren', 'money', 'how-adjective'],
    ['Wie hoch ist die Leistung des Windparks?', 'leistung', 'power', 'how-adjective'],
    ['Was ist die längste Laufzeit der Verträge?', 'laufzeit', 'duration', 'attribute-of'],
    ['How old was the bridge when it closed?', 'old', 'age', 'how-old'],
    ['Welchen Preis hat die Drohne?', 'preis', 'money', 'attribute'],
  ])('%s → %s (%s, %s)', (question, word, family, frame) => {
    const f = questionFocus(question);
    expect(f).not.toBeNull();
    expect(f!.word).toBe(word);
    expect(f!.family).toBe(family);
    expect(f!.frame).toBe(frame);
  });

  it('keeps the parts of a hyphenated compound and the attribute head of a German compound', () => {
    expect(questionFocus('Wie lautete der neue Name der NTL-Dienste?')!.words).toEqual(expect.arrayContaining(['ntl-dienste', 'dienste']));
    expect(questionFocus('Was ist die übliche Turbinengeschwindigkeit der Anlage?')!.words).toContain('geschwindigkeit');
    expect(questionFocus('What is the basic unit of territorial division?')!.words).toEqual(['basic', 'unit']);
  });

  it.each([
    'How fast is the ZT-180?', // the type says it all: a speed of the topic
    'Who lost to the Broncos in the divisional round?',
    'Wann wurde die Börse gegründet?',
    'What is the capital?', // no topic to ask it of
    'Wie heißt der Quarterback, der 38 Jahre alt war?', // a person noun: the answer is a name, not the word
    'What was the goal of the bequest to the museum?', // aims and reasons are said in other words
    'Wie lautete das Endergebnis des Spiels?',
    'Was war der Impulsgeber, der das Interesse weckte?', // a relative clause, no genitive topic
    'How many points did the defense give up?',
    'What is the Welsh word for lake?', // a word asked for is the answer, like a name
    'Wie lautet das englische Wort für Brücke?',
  ])('%s has no focus to check', (question) => {
    expect(questionFocus(question)).toBeNull();
  });

  it('reads long or odd questions without failing', () => {
    expect(questionFocus('What is the ' + 'very '.repeat(20000) + 'long name of it?')).toBeNull();
    expect(questionFocus("Wie heißt der " + "Hund des ".repeat(5000) + "Bürgermeisters?")?.word).toBe('hund');
    expect(questionFocus("What is the mayor's's's?")).toBeNull();
    for (const q of ['', '?', 'Wie heißt', 'What is the', 'How high is the', "What is the name of the mayor's"]) expect(() => questionFocus(q)).not.toThrow();
  });

  const group = (label: string): QueryGroup => ({ label, terms: [label], weight: 1 });
  const evidence = (text: string, matched: boolean[]) => {
    const tokens = tokenize(text);
    return { matchedGroups: matched, tokens, candidates: findCandidates(text, tokens, null) };
  };

  it('a family focus is stated by a figure of its family, not by a figure of another', () => {
    const q = 'Was ist der Preis der Fähre?';
    const f = questionFocus(q);
    const groups = [group('preis'), group('fähre')];
    expect(focusStated(f, analyzeQuestion(q), groups, evidence('Die Fähre kostete 4 Millionen Euro.', [false, true]))).toBe(true);
    expect(focusStated(f, analyzeQuestion(q), groups, evidence('Die Fähre wiegt 1.200 Tonnen.', [false, true]))).toBe(false);
  });

  it('a plain focus is stated only when the sentence names it (group or compound head)', () => {
    const q = 'Wie heißt der Hund des Bürgermeisters?';
    const f = questionFocus(q);
    const groups = [group('hund'), group('bürgermeisters')];
    expect(focusStated(f, analyzeQuestion(q), groups, evidence('Bürgermeister ist Karl Brenner.', [false, true]))).toBe(false);
    expect(focusStated(f, analyzeQuestion(q), groups, evidence('Der Hund des Bürgermeisters heißt Bello.', [true, true]))).toBe(true);
    // Not checkable when no query group carries the focus word.
    expect(focusStated(f, analyzeQuestion(q), [group('bürgermeisters')], evidence('Bürgermeister ist Karl Brenner.', [true]))).toBe(true);
    const t = 'Was ist die übliche Turbinengeschwindigkeit in den USA?';
    expect(focusStated(questionFocus(t), analyzeQuestion(t), [group('turbinengeschwindigkeit'), group('usa')],
      evidence('Die typischen Geschwindigkeiten liegen bei 3600 Umdrehungen pro Minute in den USA.', [false, true]))).toBe(true);
  });
});

describe('near misses on own documents: the topic is there, the asked-for fact is not', () => {
  let d: Dossier;
  beforeAll(async () => {
    d = await Dossier.open(testConfig({}, { corpus: 'empty' }));
    await d.ingest({
      title: 'Lindenau',
      source: 'test:lindenau',
      text:
        'Lindenau\n\nBürgermeister von Lindenau ist seit 2021 Karl Brenner. Die Kleinstadt an der Lind hat rund 24.000 Einwohner. ' +
        'Das neue Rathaus wurde 2019 eröffnet und kostete 12 Millionen Euro.\n\n' +
        'Der Fluss Lind ist 48 Kilometer lang und mündet bei Rotheim in die Saale. Das Wasserkraftwerk an der Lind versorgt 9.000 Haushalte mit Strom.',
    });
    await d.ingest({
      title: 'Northport ferry',
      source: 'test:northport',
      text:
        'Northport ferry\n\nThe Northport ferry is operated by Blue Line Shipping, a company from Hull. ' +
        'Its new ship, the Aurora, weighs 1,200 tonnes and carries 300 passengers.\n\nA one-way ticket costs 4 pounds. The crossing takes 40 minutes. Its anchor chain weighs 900 pounds.',
    });
  });
  afterAll(async () => {
    await d.close();
  });

  it.each([
    'Wie heißt der Hund des Bürgermeisters?',
    'What is the name of the mayor\'s dog?',
    'Was ist die Spurweite der Lind?',
    'Wie hoch ist die Leistung des Wasserkraftwerks?',
    'What is the top speed of the Aurora?',
    'What is the length of the Aurora?',
  ])('%s → not stated (no made-up short answer)', async (question) => {
    const a = await d.ask(question);
    expect(a.short).toBeUndefined();
    expect(a.abstained || a.notStated).toBe(true);
  });

  it('says plainly what is not stated, in the asker\'s language, and cites the closest passage', async () => {
    const a = await d.ask('Wie heißt der Hund des Bürgermeisters?');
    expect(a.notStated).toBe(true);
    expect(a.answer).toMatch(/^Die Dokumente nennen nicht das Gefragte \(der Hund des Bürgermeisters\); nächstliegende Stellen: \[1\]/);
    expect(a.citations[0].quote).toContain('Bürgermeister von Lindenau');
  });

  it.each([
    // "wie hoch" alone would ask for a height: the focus "Kosten" asks for money.
    ['Wie hoch waren die Kosten des neuen Rathauses?', '12 Millionen Euro'],
    ['Wie viele Einwohner hat Lindenau?', '24.000 Einwohner'],
    ['Wie lang ist der Fluss Lind?', '48 Kilometer'],
    ['What is the weight of the Aurora?', '1,200 tonnes'],
    // "pounds" is money after "costs" and a weight after "weighs" (src/answer/candidates.ts).
    ['How much does a one-way ticket cost?', '4 pounds'],
    ['How heavy is the anchor chain?', '900 pounds'],
    ['How many passengers does the Aurora carry?', '300'],
  ])('%s → answered (%s)', async (question, short) => {
    const a = await d.ask(question);
    expect(a.abstained).toBe(false);
    expect(a.notStated).toBe(false);
    expect(a.answer).toContain(short);
  });
});
