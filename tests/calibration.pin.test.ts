/**
 * Pins the calibrated abstention threshold (ABSTAIN_THRESHOLD, default 0.31 from
 * scripts/calibrate.ts) on the seed report with questions written for this test and kept out of
 * every calibration set (scripts/calibrate.ts drops any question that occurs in tests/):
 * - near-topic unanswerable questions whose top coverage lies in [0.21, 0.31): they abstain at
 *   the default and would be answered if the threshold dropped by 0.1;
 * - answerable questions whose top coverage lies in [0.31, 0.41): they are answered, with the
 *   right passage, at the default and would abstain if the threshold rose by 0.1.
 * Check: `ABSTAIN_THRESHOLD=0.21 npx vitest run tests/calibration.pin.test.ts` and `=0.41` fail.
 * The threshold comes from the environment when set (only for that check); the rest of the config
 * is hermetic. When retrieval changes move these coverages, re-pick questions in those bands.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { SEED, tempDir } from './helpers.js';

let d: Dossier;
beforeAll(async () => {
  const threshold = process.env.ABSTAIN_THRESHOLD;
  d = await Dossier.open(
    loadConfig(
      { DATA_DIR: tempDir(), CORPUS_DIR: path.dirname(SEED), LOG_LEVEL: 'silent', EMBEDDINGS: 'off', ...(threshold ? { ABSTAIN_THRESHOLD: threshold } : {}) },
      {},
    ),
  );
});
afterAll(async () => {
  await d.close();
});

/** Near the report's topic (Ukraine, China, Russia), not answered by it. */
const UNANSWERABLE = [
  'Wer gewann die Wahl in der Ukraine?',
  'How much wheat does Ukraine export?',
  'How many satellites did China launch last year?',
  'Which city hosts the Olympic Games in Russia?',
];

/** Answered by the report, in few of its words; with a text the cited passage must hold. */
const ANSWERABLE: [string, string][] = [
  ['Wie schwer darf die Ladung sein laut Experten?', '35 bis 50 Kilogramm'],
  ['What does the Spiegel report about the warhead?', 'Sprengkopf von 35 bis 50 Kilogramm'],
];

describe('the calibrated abstention threshold', () => {
  it.each(UNANSWERABLE)('abstains on the near-topic question %s', async (q) => {
    const a = await d.ask(q);
    expect(a.abstained).toBe(true);
    expect(a.citations).toEqual([]);
  });

  it.each(ANSWERABLE)('answers %s from the passage holding "%s"', async (q, text) => {
    const a = await d.ask(q);
    expect(a.abstained).toBe(false);
    expect(a.citations[0].quote).toContain(text);
  });
});
