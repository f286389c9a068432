import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { testConfig } from './helpers.js';
import { boldPhrase } from './kit/answer-line.js';
import { answerMessages } from '../src/discord/reply.js';

let d: Dossier;
beforeAll(async () => {
  d = await Dossier.open(testConfig());
});
afterAll(async () => {
  await d.close();
});

describe('extractive short answers on the seed report', () => {
  it.each([
    ['How many ZT-180 drones per month?', 'rund 100 Drohnen im Monat'],
    ['How heavy is the warhead of the ZT-180?', '35 bis 50 Kilogramm'],
    ['When should the drones be delivered?', 'bis April'],
    ['When should the drones be delivered to Russia?', 'bis April'],
    ['Wann sollen die Drohnen geliefert werden?', 'bis April'],
    ['Wie schwer ist der Sprengkopf?', '35 bis 50 Kilogramm'],
    ['Who is the NATO Secretary General?', 'Stoltenberg'],
    ['Who makes the ZT-180?', "Xi'an Bingo Intelligent Aviation Technology"],
    ['Wer stellt die Drohnen her?', "Xi'an Bingo"],
    ['How many drones will the factory in Russia built with Iran produce?', 'mindestens 6.000 vom Iran entworfene Drohnen'],
    ['Which newspaper reported on the Iranian drone factory?', 'The Wall Street Journal'],
  ])('%s → %s', async (question, phrase) => {
    const a = await d.ask(question);
    expect(a.abstained).toBe(false);
    expect(a.notStated).toBe(false);
    // The answer line: the phrase in bold first (with what a figure counts), then the sentence
    // holding it, cited; `short` is that phrase or its core span ("100" of "rund 100 Drohnen im Monat").
    const shown = boldPhrase(a.answer);
    expect(shown).toContain(phrase);
    expect(shown).toContain(a.short);
    expect(a.short!.includes(phrase) || phrase.includes(a.short!)).toBe(true);
    const n = Number(/\[(\d)\]$/.exec(a.answer)![1]);
    expect(a.citations[n - 1].quote).toContain(a.short);
  });

  it('a count is never taken for "when", nor a month for "how many"', async () => {
    const when = await d.ask('When should the drones be delivered to Russia?');
    expect(when.short).not.toMatch(/\d/);
    const many = await d.ask('How many ZT-180 drones per month?');
    expect(many.short).not.toMatch(/April/);
  });

  it.each([
    ['How fast is the ZT-180?', /^The documents do not say how fast/],
    ['How much does a ZT-180 cost?', /^The documents do not say the cost/],
    ['Wie schnell ist die ZT-180?', /^Die Dokumente nennen nicht die Geschwindigkeit/],
  ])('near miss "%s": not stated, closest passages cited, no short answer', async (question, text) => {
    const a = await d.ask(question);
    expect(a.short).toBeUndefined();
    if (a.abstained) return;
    expect(a.notStated).toBe(true);
    expect(a.answer).toMatch(text);
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.answer).not.toMatch(/\*\*/);
  });

  it('joins German separable verbs: "Wer stellt die Drohnen her?" finds the drone maker', async () => {
    const a = await d.ask('Wer stellt die Drohnen her?');
    expect(a.abstained).toBe(false);
    expect(a.citations[0].quote).toContain("Xi'an Bingo");
  });

  it('answers a "which" question with the matching sentence, matched words in bold', async () => {
    const a = await d.ask('Which Iranian drone does the ZT-180 resemble?');
    expect(a.citations[0].quote).toContain('Shahed-136');
    expect(a.answer).toMatch(/\*\*[^*]*Shahed-136\*\*/);
  });

  it('quotes the neighbouring sentence too when only it holds the figure', async () => {
    const a = await d.ask('How many drones will the factory in Russia built with Iran produce?');
    const quote = a.citations[0].quote;
    expect(quote.startsWith('Es wäre nicht die erste geplante Drohnenfabrik')).toBe(true);
    expect(quote).toContain('mindestens 6.000 vom Iran entworfene Drohnen');
  });
});

describe('the Discord answer embed', () => {
  it('shows the short answer first', async () => {
    const a = await d.ask('How heavy is the warhead of the ZT-180?');
    const description = answerMessages(a)[0].embeds[0].description ?? '';
    expect(description.startsWith('**35 bis 50 Kilogramm** — ')).toBe(true);
  });

  it('cites no off-topic passages and no headings', async () => {
    const a = await d.ask('How heavy is the warhead of the ZT-180?', { limit: 10 });
    expect(a.citations.length).toBeLessThan(10);
    for (const c of a.citations) expect(c.quote).toMatch(/[.!?"“”]$/);
  });
});

describe('documents a user added (German and English)', () => {
  let u: Dossier;
  beforeAll(async () => {
    u = await Dossier.open(testConfig({}, { corpus: 'empty' }));
    await u.ingest({
      title: 'Bahnprojekt',
      source: 'test:rail',
      text: 'Neue Schnellfahrstrecke\n\nDie neue Schnellfahrstrecke zwischen den beiden Städten soll 6,7 Milliarden Euro kosten. Der Bau beginnt im März 2025 und dauert sieben Jahre.\n\nDie Züge sollen dort bis zu 300 km/h schnell fahren.',
    });
    await u.ingest({
      title: 'Harbour',
      source: 'test:harbour',
      text: 'Harbour expansion\n\nThe expansion of the harbour will cost 240 million euros. The new quay wall is 50 metres long and was designed by Hafenbau Nord GmbH.\n\nA solar farm of 12 hectares is planned next to the harbour.',
    });
  });
  afterAll(async () => {
    await u.close();
  });

  it.each([
    ['How much does the new rail line cost?', '6,7 Milliarden Euro', 'Bahnprojekt'],
    ['Was kostet die neue Schnellfahrstrecke?', '6,7 Milliarden Euro', 'Bahnprojekt'],
    ['How much will the harbour expansion cost?', '240 million euros', 'Harbour'],
    ['How long is the new quay wall?', '50 metres', 'Harbour'],
    ['How fast will the trains run on the new line?', 'bis zu 300 km/h', 'Bahnprojekt'],
    ['Who designed the quay wall?', 'Hafenbau Nord GmbH', 'Harbour'],
  ])('%s → %s', async (question, short, title) => {
    const a = await u.ask(question);
    expect(a.short).toBe(short);
    const n = Number(/\[(\d)\]$/.exec(a.answer)![1]);
    expect(a.citations[n - 1].document.title).toBe(title);
    // A heading is never cited as a sentence.
    for (const c of a.citations) expect(['Neue Schnellfahrstrecke', 'Harbour expansion']).not.toContain(c.quote.trim());
  });

  it('a question about an attribute no document states is "not stated", without a short answer', async () => {
    const a = await u.ask('How heavy is the quay wall?');
    expect(a.short).toBeUndefined();
    expect(a.abstained || a.notStated).toBe(true);
  });
});
