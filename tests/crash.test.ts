/**
 * Crash safety: SIGKILL a bulk ingestion at random points, 20 times, then check the store.
 * Every acknowledged document must be complete and searchable, nothing may be orphaned, and a
 * final run must finish the rest.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { ROOT, SEED, SHARED_DATA, tempDir } from './helpers.js';

const KILLS = 20;
/** Fresh articles per killed run, so that every run has real work when the kill comes. */
const BATCH = 30;
/**
 * Kill delays are uniform in [0, window) after the child reports READY, where the window is the
 * time a batch took in earlier runs (measured from the ACK rate; starts at 400 ms), so kills land
 * inside the batch on fast and slow machines alike.
 */
const FIRST_WINDOW_MS = 400;
const CHILD = path.join(ROOT, 'tests', 'kit', 'ingest-child.ts');

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  acked: Map<string, string>;
  done: boolean;
  /** Milliseconds from READY to the last ACK. */
  ackMs: number;
}

/** Run the child on `folders`; with `killAfterMs`, SIGKILL it that long after it reports READY. */
function runChild(dataDir: string, corpus: string, folders: string[], killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Node itself with tsx's loader: the tsx CLI would run the script in a grandchild that a
    // SIGKILL of the CLI does not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, corpus, ...folders], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { acked: new Map(), done: false, ackMs: 0 };
    let readyAt = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') {
          readyAt = Date.now();
          if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
        const m = /^ACK (\S+) (\S+)/.exec(line);
        if (m) {
          run.acked.set(m[1], m[2]);
          run.ackMs = Date.now() - readyAt;
        }
        if (line === 'DONE') run.done = true;
      }
    });
    child.on('error', reject);
    // 'close' (not 'exit'): stdout may still hold ACK lines when the process has exited.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(run);
      else reject(new Error(`child failed (${code}): ${stderr.slice(-2000)}`));
    });
  });
}

function checkStore(dataDir: string): { docs: Set<string> } {
  const db = new Database(path.join(dataDir, 'dossier.sqlite'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const orphanChunks = db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE doc_id NOT IN (SELECT id FROM documents)').get() as { n: number };
    const orphanParas = db.prepare('SELECT COUNT(*) AS n FROM paragraphs WHERE doc_id NOT IN (SELECT id FROM documents)').get() as { n: number };
    const emptyDocs = db.prepare('SELECT COUNT(*) AS n FROM documents WHERE id NOT IN (SELECT doc_id FROM chunks)').get() as { n: number };
    expect(orphanChunks.n).toBe(0);
    expect(orphanParas.n).toBe(0);
    expect(emptyDocs.n).toBe(0);
    return { docs: new Set((db.prepare('SELECT id FROM documents').all() as { id: string }[]).map((r) => r.id)) };
  } finally {
    db.close();
  }
}

/**
 * `n` distinct German news articles: 10kGNAD's test split when ../shared/data is there, otherwise
 * synthetic ones made from the seed report's sentences (so the test runs on any clone).
 */
function articles(n: number): string[] {
  const csv = path.join(SHARED_DATA, '10kgnad', 'test.csv');
  if (fs.existsSync(csv)) {
    const rows = parseCsv(fs.readFileSync(csv, 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
    const texts = [...new Set(rows.map((r) => r[1]).filter((t) => t && t.length > 200))];
    if (texts.length >= n) return texts.slice(0, n);
  }
  const sentences = fs.readFileSync(SEED, 'utf8').split(/(?<=[.!?])\s+/).filter((x) => x.length > 40);
  const random = rng(7);
  return Array.from({ length: n }, (_, i) => {
    // About as long as a news article (~40 sentences), so that ingesting one takes real time.
    const picked = Array.from({ length: 40 }, () => sentences[Math.floor(random() * sentences.length)]);
    return `Meldung ${i + 1}: Im Bezirk ${1000 + i} wurden ${Math.floor(random() * 9000)} Anträge gezählt. ${picked.join(' ')}`;
  });
}

describe('crash safety of bulk ingestion', () => {
  it(`survives ${KILLS} SIGKILLs: acknowledged documents complete and searchable, no orphans, a rerun finishes`, { timeout: 600_000 }, async () => {
    const dir = tempDir('dossier-crash-');
    const corpus = path.join(dir, 'corpus');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(corpus);
    const texts = articles(KILLS * BATCH);
    const folders: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const folder = path.join(dir, `batch${String(k).padStart(2, '0')}`);
      fs.mkdirSync(folder);
      texts.slice(k * BATCH, (k + 1) * BATCH).forEach((t, i) => fs.writeFileSync(path.join(folder, `a${k * BATCH + i}.txt`), t));
      folders.push(folder);
    }

    const random = rng(20261129);
    const acked = new Map<string, string>();
    let killsMidway = 0;
    let windowMs = FIRST_WINDOW_MS;
    for (let k = 0; k < KILLS; k++) {
      const t0 = Date.now();
      const run = await runChild(dataDir, corpus, [folders[k]], Math.floor(random() * windowMs));
      if (run.acked.size >= 3) windowMs = Math.min(3000, Math.max(100, (run.ackMs / run.acked.size) * BATCH));
      if (process.env.CRASH_DEBUG) console.log(`kill ${k + 1}: ${run.acked.size} acked, ${Date.now() - t0} ms`);
      for (const [f, id] of run.acked) acked.set(f, id);
      if (run.acked.size < BATCH) killsMidway++;
      const { docs } = checkStore(dataDir);
      for (const [f, id] of acked) expect(docs.has(id), `acknowledged ${f} is missing after kill ${k + 1}`).toBe(true);
    }
    const final = await runChild(dataDir, corpus, folders, null);
    if (process.env.CRASH_DEBUG) console.log(`final: ${final.acked.size} acked, done ${final.done}`);
    expect(final.done).toBe(true);
    const { docs } = checkStore(dataDir);
    // Articles with identical text share an id, so count distinct ids.
    expect(final.acked.size).toBe(texts.length);
    expect(docs.size).toBe(new Set(final.acked.values()).size);
    const partialRuns = killsMidway;
    expect(partialRuns, 'most kills should land in the middle of a batch').toBeGreaterThanOrEqual(KILLS / 2);

    // Every document is searchable: a distinctive sentence of each finds it first.
    const d = await Dossier.open(loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpus, LOG_LEVEL: 'silent', EMBEDDINGS: 'off' }));
    try {
      let found = 0;
      for (const id of new Set(final.acked.values())) {
        const text = d.documentText(id)!;
        // The document's first 40 words (its lead; the distinctive part of an article).
        const a = await d.ask(text.split(/\s+/).slice(0, 40).join(' '), { limit: 5 });
        if (a.citations.some((c) => d.documentText(c.document.id) === text)) found++;
        else console.log(`not found: ${id}`);
      }
      expect(found).toBe(new Set(final.acked.values()).size);
    } finally {
      await d.close();
    }
    console.log(`crash test: ${KILLS} kills (${killsMidway} mid-ingestion), ${acked.size} files acknowledged before the final run, ${docs.size} documents in the end`);
  });
});
