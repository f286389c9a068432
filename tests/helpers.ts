/** Shared test helpers: a fresh data directory and config per test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SEED = path.join(ROOT, 'corpus', '000_f6d27b86c4846197.txt');
/** Public evaluation data beside the project (../shared/data); SHARED_DATA_DIR overrides it. */
export const SHARED_DATA = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data');

/** A temporary directory removed by the caller (or left in /tmp). */
export function tempDir(prefix = 'dossier-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Config with a fresh DATA_DIR; the bundled corpus by default, or an empty corpus folder
 * with `{ corpus: 'empty' }`.
 */
export function testConfig(overrides: Record<string, unknown> = {}, opts: { corpus?: 'seed' | 'empty' } = {}): Config {
  const dir = tempDir();
  let corpus = path.join(ROOT, 'corpus');
  if (opts.corpus === 'empty') {
    corpus = path.join(dir, 'corpus');
    fs.mkdirSync(corpus);
  }
  return loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: corpus, LOG_LEVEL: 'warn', EMBEDDINGS: 'off', ...overrides });
}
