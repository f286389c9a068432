/**
 * Embedding-cache figures (README "Scaling out"): how long a machine takes to write N passage
 * vectors into the cache (in slices of 64, as DenseRetriever.add does after each model call) and
 * how long a second machine takes to read them all back (one `getMany`, as its first
 * DenseRetriever.sync does instead of embedding), for the SQLite store and PostgreSQL (a
 * throwaway cluster from tests/kit/postgres.ts, over 127.0.0.1). Vectors are random unit vectors
 * of `--dim` dimensions (384: multilingual-e5-small); no model is run. Median of `--trials` reads.
 *
 * Usage: nice -n 10 npx tsx scripts/cache-scale.ts [--sizes 11000,50000] [--dim 384] [--trials 3] [--only sqlite|postgres]
 * Prints one JSON line per (store, size).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/open.js';
import { startPostgres } from '../tests/kit/postgres.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '11000,50000' },
    dim: { type: 'string', default: '384' },
    trials: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const sizes = values.sizes!.split(',').map(Number).filter((n) => n > 0);
const dim = Number(values.dim);
const trials = Math.max(1, Number(values.trials));
const kinds = (['sqlite', 'postgres'] as const).filter((k) => !values.only || values.only === k);

function unit(): Float32Array {
  const v = new Float32Array(dim);
  let n = 0;
  for (let i = 0; i < dim; i++) n += (v[i] = Math.random() - 0.5) ** 2;
  for (let i = 0; i < dim; i++) v[i] /= Math.sqrt(n);
  return v;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pgc = kinds.includes('postgres') ? await startPostgres() : null;
try {
  for (const kind of kinds) {
    if (kind === 'postgres' && !pgc) continue;
    for (const n of sizes) {
      const at = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cache-')), DATABASE_URL: kind === 'postgres' ? await pgc!.newDatabase() : undefined };
      const writer = await openStore(at);
      const entries = Array.from({ length: n }, (_, i) => ({ hash: `h${i}`, vector: unit() }));
      const t0 = performance.now();
      for (let i = 0; i < n; i += 64) await writer.embeddings.putMany('space', entries.slice(i, i + 64));
      const writeMs = performance.now() - t0;
      await writer.close();
      // The reader is another store on the same database (with PostgreSQL: another DATA_DIR).
      const reader = await openStore(kind === 'postgres' ? { ...at, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cache-')) } : at);
      const reads: number[] = [];
      for (let t = 0; t < trials; t++) {
        const t1 = performance.now();
        const got = await reader.embeddings.getMany('space', entries.map((e) => e.hash), dim);
        reads.push(performance.now() - t1);
        if (got.size !== n) throw new Error(`read ${got.size} of ${n} vectors`);
      }
      await reader.close();
      console.log(JSON.stringify({ store: kind, vectors: n, dim, writeMs: Math.round(writeMs), readMs: Math.round(median(reads)), readMsPer1k: +(median(reads) / (n / 1000)).toFixed(1) }));
    }
  }
} finally {
  pgc?.stop();
}
