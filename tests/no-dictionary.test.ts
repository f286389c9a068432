/**
 * Issue 14 item 1: without the dictionary (missing file or TRANSLATE=false) a second run on the
 * same data folder exited only after it was killed, and an English question over the German seed
 * report answered with an unrelated sentence that merely shared the name "ZT-180".
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassageSearcher } from '../src/search/passages.js';
import { Dossier } from '../src/core.js';
import { LANGUAGE_GAP_TEXT, languageGap } from '../src/answer/language-gap.js';
import { ROOT, tempDir, testConfig } from './helpers.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { withLogs } from './kit/log-capture.js';

describe('no dictionary: told once', () => {
  it('warns once per cache folder, at info level after that', async () => {
    const cache = tempDir();
    const { lines } = await withLogs(() => {
      for (let i = 0; i < 3; i++) expect(loadDictionary('/nonexistent/de-en', cache)).toBeNull();
      expect(loadDictionary('/nonexistent/other', cache)).toBeNull();
      expect(loadDictionary('/nonexistent/de-en', tempDir())).toBeNull();
    });
    const about = lines.filter((l) => /dictionary not found/.test(l.msg));
    expect(about.map((l) => l.level)).toEqual([40, 30, 30, 40, 40]);
  });
});

describe('no dictionary: nothing keeps the process alive', () => {
  it('warmUp resolves with deferred paragraphs and no concept index', async () => {
    const s = new PassageSearcher(null);
    s.add(
      { id: 'd', scope: null, language: 'de', paragraphs: [{ id: 1, terms: ['drohn'], chunks: [{ id: 1, docId: 'd', paragraphId: 1, start: 0, end: 6, terms: ['drohn'] }] }] },
      { deferConcepts: true },
    );
    expect(s.conceptBacklog).toBe(0);
    let done = false;
    await Promise.race([s.warmUp().then(() => (done = true)), new Promise((r) => setTimeout(r, 2000))]);
    expect(done).toBe(true);
  });

  it('a second CLI run on the same data folder exits by itself', () => {
    const data = path.join(tempDir(), 'data');
    const env = { ...process.env, DICT_PATH: '/nonexistent/de-en', EMBEDDINGS: 'off', DATA_DIR: data, CORPUS_DIR: path.join(ROOT, 'corpus'), LOG_LEVEL: 'error' };
    for (const run of [1, 2]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'list'], { env, encoding: 'utf8', timeout: 60_000, cwd: ROOT });
      expect(r.signal, `run ${run} was killed: it did not exit`).toBeNull();
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^[0-9a-f]{16} {2}2023-02 {2}de/m);
    }
  }, 130_000);
});

describe('no dictionary: an English question over a German document abstains and says why', () => {
  for (const how of [{ TRANSLATE: false }, { DICT_PATH: '/nonexistent/de-en' }]) {
    it(JSON.stringify(how), async () => {
      const d = await Dossier.open(testConfig({ ...how, LOG_LEVEL: 'error' }));
      try {
        const en = await d.ask('How many ZT-180 drones per month?');
        expect(en.abstained).toBe(true);
        expect(en.citations).toEqual([]);
        expect(en.answer).toContain(LANGUAGE_GAP_TEXT);
        expect(en.answer).not.toMatch(/Kilogramm/);
        // The same question in the document's language still answers.
        const de = await d.ask('Wie viele Drohnen sollen pro Monat produziert werden?');
        expect(de.abstained).toBe(false);
        expect(de.answer).toMatch(/100 Drohnen im Monat/);
      } finally {
        await d.close();
      }
    });
  }

  it('the gap needs different languages and no bridge', () => {
    expect(languageGap('en', 'de', false)).toBe(true);
    expect(languageGap('de', 'en', false)).toBe(true);
    expect(languageGap('en', 'en', false)).toBe(false);
    expect(languageGap('de', 'fr', false)).toBe(false); // indexed with German stems
    expect(languageGap('en', 'de', true)).toBe(false);
  });
});
