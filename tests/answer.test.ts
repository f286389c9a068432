import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { testConfig } from './helpers.js';

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
    ['How many drones will the factory in Russia built with Iran produce?', 'mindestens 6.000'],
  ])('%s → %s', async (question, phrase) => {
    const a = await d.ask(question);
    expect(a.abstained).toBe(false);
    expect(a.answer.replace(/\*\*/g, '')).toMatch(new RegExp(`^${phrase.replace(/\./g, '\\.')} \\[\\d\\]$`));
    const n = Number(/\[(\d)\]$/.exec(a.answer)![1]);
    expect(a.citations[n - 1].quote).toContain(phrase);
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
