/** German questions over English documents (issue 14 item 5); needs trans-de-en like translate.test.ts. */
import { describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { buildQuery } from '../src/search/query.js';
import { testConfig } from './helpers.js';

const TEXT = `title Rostock ferry terminal
date 2024-05
lang en

The city of Rostock plans a new ferry terminal on the western bank of the river. Construction of the terminal will begin in September 2027, the port authority said. The project will cost 210 million euros and create about 800 jobs.

Fishermen have protested against the plan because the river mouth is a spawning ground for herring.`;

describe('German questions over English documents', () => {
  it('adds English translations to German words only when asked to', () => {
    const config = testConfig();
    const dict = loadDictionary(config.DICT_PATH, config.CACHE_DIR);
    expect(dict).not.toBeNull();
    const plain = buildQuery('Wann beginnt der Bau?', dict);
    const both = buildQuery('Wann beginnt der Bau?', dict, { germanToEnglish: true });
    expect(plain.language).toBe('de');
    expect(plain.groups.find((g) => g.label === 'bau')!.terms).not.toContain('construct');
    expect(both.groups.find((g) => g.label === 'bau')!.terms).toContain('construct');
    expect(both.groups.find((g) => g.label === 'beginnt')!.terms).toEqual(expect.arrayContaining(['start', 'commenc']));
    expect(both.translated).toBe(true);
  });

  it('answers German questions from an English document, and German ones from the German report', async () => {
    const d = await Dossier.open(testConfig({ LOG_LEVEL: 'error' }));
    try {
      await d.ingest({ bytes: new TextEncoder().encode(TEXT), filename: 'rostock.txt' });
      const when = await d.ask('Wann beginnt der Bau des Terminals in Rostock?');
      expect(when.abstained).toBe(false);
      expect(when.answer).toContain('September 2027');
      expect(when.citations[0].document.title).toBe('Rostock ferry terminal');
      const cost = await d.ask('Wie viel kostet das Projekt in Rostock?');
      expect(cost.answer).toMatch(/210/);
      const jobs = await d.ask('Wie viele Arbeitsplätze entstehen in Rostock?');
      expect(jobs.answer).toMatch(/800/);
      const seed = await d.ask('Wie viele Drohnen sollen pro Monat produziert werden?');
      expect(seed.answer).toMatch(/100 Drohnen im Monat/);
    } finally {
      await d.close();
    }
  }, 120_000);
});
