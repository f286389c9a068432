/** Helpers for the dense-retrieval tests: generated models, log capture, a counting embedder. */
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import type { EmbedKind, Embedder } from '../../src/embed/embedder.js';
import { setLogger } from '../../src/log.js';
import { generateModel, type ModelKind } from '../../scripts/gen-model.js';
import { tempDir } from '../helpers.js';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** Route log() into an array for the rest of the test file. Level 40 = warn. */
export function captureLog(): LogLine[] {
  const lines: LogLine[] = [];
  setLogger(pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }));
  return lines;
}

export const warnings = (lines: LogLine[]) => lines.filter((l) => l.level === 40);

/**
 * Generate a model folder `<root>/test/<kind>` (hub-like tree, so MODEL_DIR=<root>, MODEL_ID=test/<kind>).
 * @returns the root and the model id.
 */
export async function modelTree(kind: ModelKind, root = tempDir('dossier-model-')): Promise<{ root: string; id: string; dir: string }> {
  const id = `test/${kind}`;
  const dir = path.join(root, id);
  await generateModel(dir, kind);
  return { root, id, dir };
}

/** Hermetic config (ignores the process environment) for embedding tests. */
export function embedConfig(overrides: Record<string, unknown>): Config {
  return loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'warn', ...overrides }, {});
}

/** Wraps an embedder and counts the texts it embeds per kind. */
export class CountingEmbedder implements Embedder {
  passages = 0;
  queries = 0;
  constructor(private readonly inner: Embedder) {}
  get modelId() {
    return this.inner.modelId;
  }
  get dim() {
    return this.inner.dim;
  }
  get fingerprint() {
    return this.inner.fingerprint;
  }
  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    if (kind === 'passage') this.passages += texts.length;
    else this.queries += texts.length;
    return this.inner.embed(texts, kind);
  }
}
