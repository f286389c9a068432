/**
 * Dense retrieval through the core: Dossier.open with the generated 'meaning' model
 * (scripts/gen-model.ts), the seed report as the bundled corpus, and Dossier.ask deciding
 * abstention with DENSE_THRESHOLD (src/search/dense-abstain.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { SEED, tempDir } from './helpers.js';
import { modelTree } from './kit/dense-kit.js';

let root: string;
let id: string;
const open: Dossier[] = [];

/** DENSE_THRESHOLD calibrated for the generated 'meaning' model (see src/config.ts); the default is off. */
const MEANING_THRESHOLD = '0.34';

async function dossier(extra: Record<string, string | undefined> = {}): Promise<Dossier> {
  const d = await Dossier.open(
    loadConfig(
      { DATA_DIR: tempDir(), CORPUS_DIR: path.dirname(SEED), LOG_LEVEL: 'silent', EMBEDDINGS: 'auto', MODEL_DIR: root, MODEL_ID: id, QUERY_PREFIX: '', PASSAGE_PREFIX: '', DENSE_THRESHOLD: MEANING_THRESHOLD, ...extra },
      {},
    ),
  );
  open.push(d);
  return d;
}

beforeAll(async () => {
  ({ root, id } = await modelTree('meaning'));
});
afterAll(async () => {
  for (const d of open) await d.close();
});

describe('dense-aware abstention in Dossier.ask (meaning model)', () => {
  const question = 'What number of UAVs per month?';

  it('answers a question sharing no word with the passage from the ¶5 passage', async () => {
    const d = await dossier();
    expect(d.denseRetrieval).toBe(true);
    const a = await d.ask(question);
    expect(a.abstained).toBe(false);
    expect(a.citations[0].position).toBe('¶5');
    expect(a.citations[0].quote).toContain('rund 100 Drohnen im Monat');
  });

  it('abstains on the same question when DENSE_THRESHOLD is above its similarity, and with the default (off until calibrated)', async () => {
    for (const extra of [{ DENSE_THRESHOLD: '0.6' }, { DENSE_THRESHOLD: undefined }]) {
      const d = await dossier(extra);
      const a = await d.ask(question);
      expect(a.abstained, JSON.stringify(extra)).toBe(true);
      expect(a.citations).toEqual([]);
    }
  });

  it('still abstains on off-topic questions with dense retrieval on', async () => {
    const d = await dossier();
    for (const q of ['Which painter lived in Arles?', 'Wie lange kocht man ein Ei?']) {
      const a = await d.ask(q);
      expect(a.abstained, q).toBe(true);
    }
  });

  it('keeps lexical answers unchanged', async () => {
    const d = await dossier();
    const a = await d.ask('Wie schwer ist der Sprengkopf der ZT-180?');
    expect(a.abstained).toBe(false);
    expect(a.citations[0].quote).toContain('35 bis 50 Kilogramm');
  });
});
