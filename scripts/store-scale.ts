/**
 * Scaling figures of the store and its replicas (README "Scaling out"):
 *
 * 1. Sync delay: two Dossier instances on one store (each its own connection; SQLite: one
 *    DATA_DIR, PostgreSQL: a throwaway cluster from tests/kit/postgres.ts). A ingests (or removes)
 *    a document; the time from A's ingest resolving until B lists it (or no longer does) is the
 *    delay. Default STORE_POLL_MS (1000) unless `--poll MS`.
 * 2. Start-up at N chunks: generated German documents (one sentence per paragraph, so one chunk
 *    per paragraph, 100 per document) are ingested into the store, then a fresh Dossier.open is
 *    timed (in this process, after the writer closed). SQLite is opened twice: rebuilt from the
 *    store, then from the lexical index snapshot. Memory per chunk is measured per shard process
 *    by scripts/shard-memory.ts (an in-process heap delta here was not reliable).
 *
 * Usage: nice -n 10 npx tsx scripts/store-scale.ts [--trials 20] [--poll MS] [--sizes 11000,50000] [--only sqlite|postgres]
 * (TRANSLATE=false, EMBEDDINGS=off). Prints one JSON line per figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { startPostgres, type TestPostgres } from '../tests/kit/postgres.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    poll: { type: 'string' },
    sizes: { type: 'string', default: '11000,50000' },
    only: { type: 'string' },
  },
});
const trials = Number(values.trials);
const sizes = values.sizes!.split(',').map(Number).filter((n) => n > 0);
const kinds = (['sqlite', 'postgres'] as const).filter((k) => !values.only || values.only === k);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `ok()` holds, checking every 2 ms. @returns milliseconds waited. */
async function until(ok: () => boolean, maxMs = 30_000): Promise<number> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > maxMs) throw new Error('timed out');
    await sleep(2);
  }
  return performance.now() - t0;
}

function stats(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]);
  return { median: at(0.5), p95: at(0.95), max: Math.round(s[s.length - 1]) };
}

let pgc: TestPostgres | null = null;
if (kinds.includes('postgres')) {
  pgc = await startPostgres();
  if (!pgc) process.exit(1);
}

function configFor(kind: 'sqlite' | 'postgres', dir: string, sub: string, url: string | undefined) {
  return loadConfig({
    DATA_DIR: path.join(dir, kind === 'sqlite' ? 'data' : sub),
    CORPUS_DIR: path.join(dir, 'none'),
    LOG_LEVEL: 'silent',
    EMBEDDINGS: 'off',
    TRANSLATE: false,
    ...(values.poll ? { STORE_POLL_MS: Number(values.poll) } : {}),
    ...(url ? { DATABASE_URL: url } : {}),
  });
}

try {
  for (const kind of kinds) {
    // 1. Sync delay.
    {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-delay-'));
      const url = kind === 'postgres' ? await pgc!.newDatabase() : undefined;
      const a = await Dossier.open(configFor(kind, dir, 'a', url));
      const b = await Dossier.open(configFor(kind, dir, 'b', url));
      const add: number[] = [];
      const remove: number[] = [];
      for (let i = 0; i < trials; i++) {
        // Writes land at random points of B's poll period.
        await sleep(Math.random() * a.config.STORE_POLL_MS);
        const r = await a.ingest({ text: `Messung ${i}\n\nDie Messung Nummer ${i} ergab ${i * 37} Einheiten.`, source: `m${i}.txt` });
        add.push(await until(() => b.documentText(r.document.id) !== undefined));
        await sleep(Math.random() * a.config.STORE_POLL_MS);
        await a.remove(r.document.id);
        remove.push(await until(() => b.documentText(r.document.id) === undefined));
      }
      console.log(JSON.stringify({ kind, figure: 'sync-delay-ms', pollMs: a.config.STORE_POLL_MS, trials, add: stats(add), remove: stats(remove) }));
      await b.close();
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // 2. Start-up at N chunks.
    for (const n of sizes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-scale-'));
      const url = kind === 'postgres' ? await pgc!.newDatabase() : undefined;
      const w = await Dossier.open(configFor(kind, dir, 'w', url));
      const perDoc = 100;
      for (let d = 0; d * perDoc < n; d++) {
        const paras = Array.from({ length: Math.min(perDoc, n - d * perDoc) }, (_, i) => `Absatz ${i} des Berichts ${d} nennt ${(d * 7919 + i * 104729) % 100000} Drohnen vom Typ Z${i % 37} im Werk ${d % 53}.`);
        await w.ingest({ text: `Bericht ${d}\n\n${paras.join('\n\n')}`, source: `gen-${d}.txt` });
      }
      await w.close();
      // SQLite: the writer's close saved the snapshot; remove it for the "rebuilt" figure first.
      const runs = kind === 'sqlite' ? (['rebuilt', 'snapshot'] as const) : (['rebuilt'] as const);
      for (const run of runs) {
        if (run === 'rebuilt') fs.rmSync(path.join(dir, 'data', 'lexical.idx'), { force: true });
        const t0 = performance.now();
        const r = await Dossier.open(configFor(kind, dir, 'r', url));
        const ms = Math.round(performance.now() - t0);
        const chunks = r.listAll().reduce((s, x) => s + x.chunks, 0);
        console.log(JSON.stringify({ kind, figure: 'start', chunks, index: r.startup.index, openMs: ms, indexMs: r.startup.indexMs }));
        await r.close();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  pgc?.stop();
}
