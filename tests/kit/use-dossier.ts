/** A Dossier opened once per describe block (the beforeAll/afterAll pair many answer tests repeat). */
import { afterAll, beforeAll } from 'vitest';
import { Dossier } from '../../src/core.js';
import { testConfig } from '../helpers.js';

/**
 * A Dossier on testConfig (tests/helpers.ts) opened before the describe block's tests and closed after
 * them; call inside `describe`. The returned function gives the open instance.
 */
export function useDossier(overrides: Record<string, unknown> = {}, opts: { corpus?: 'seed' | 'empty' } = {}): () => Dossier {
  let d: Dossier | undefined;
  beforeAll(async () => {
    d = await Dossier.open(testConfig(overrides, opts));
  });
  afterAll(async () => {
    await d?.close();
  });
  return () => {
    if (!d) throw new Error('useDossier: the Dossier is not open yet (use it inside a test)');
    return d;
  };
}
