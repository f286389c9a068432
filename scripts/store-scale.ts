/**
 * Measures start-up from a PostgreSQL store at N generated chunks: ingests generated German
 * documents (one sentence per paragraph, so one chunk per paragraph) into a throwaway cluster
 * (tests/kit/postgres.ts), then times a fresh Dossier.open and the heap it holds.
 * Usage: nice -n 10 npx tsx scripts/store-scale.ts 11000 50000   (TRANSLATE=false, EMBEDDINGS=off)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { startPostgres } from '../tests/kit/postgres.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const pgc = await startPostgres();
if (!pgc) process.exit(1);
try {
  for (const n of sizes) {
    const url = await pgc.newDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-scale-'));
    const cfg = (sub: string) => loadConfig({ DATA_DIR: path.join(dir, sub), CORPUS_DIR: path.join(dir, 'none'), LOG_LEVEL: 'silent', EMBEDDINGS: 'off', TRANSLATE: false, DATABASE_URL: url });
    const w = await Dossier.open(cfg('w'));
    const perDoc = 100;
    for (let d = 0; d * perDoc < n; d++) {
      const paras = Array.from({ length: Math.min(perDoc, n - d * perDoc) }, (_, i) => `Absatz ${i} des Berichts ${d} nennt ${(d * 7919 + i * 104729) % 100000} Drohnen vom Typ Z${i % 37} im Werk ${d % 53}.`);
      await w.ingest({ text: `Bericht ${d}\n\n${paras.join('\n\n')}`, source: `gen-${d}.txt` });
    }
    await w.close();
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = await Dossier.open(cfg('r'));
    const ms = Math.round(performance.now() - t0);
    global.gc?.();
    const heap = process.memoryUsage().heapUsed - heap0;
    const chunks = r.listAll().reduce((s, x) => s + x.chunks, 0);
    console.log(JSON.stringify({ chunks, openMs: ms, indexMs: r.startup.indexMs, heapMBPer1kChunks: +((heap / 1048576) / (chunks / 1000)).toFixed(2) }));
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
} finally {
  pgc.stop();
}
