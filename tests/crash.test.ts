/**
 * Crash safety: SIGKILL the real ingesting Node process (tests/kit/ingest-child.ts) at random points
 * of a bulk ingestion, then check the store after each kill. Every acknowledged document must be
 * complete (as many chunks and paragraphs as a clean ingest of its text gives) and searchable,
 * nothing may be orphaned or half-written, and a final run must finish the rest.
 *
 * Small generated documents and short batches keep it to about 20 s (it took ~150 s with 20 batches
 * of 30 news-length articles): what is under test is that each document is stored all or nothing,
 * and short documents put more of those boundaries within reach of each kill.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { ROOT, SEED, tempDir } from './helpers.js';
import { mulberry32 as rng } from '../scripts/lib/metrics.js';

const KILLS = 10;
/** Fresh documents per killed run, so that every run has real work when the kill comes. */
const BATCH = 10;
/**
 * Kill delays are uniform in [0, window) after the child reports READY, where the window is the
 * time a batch took in earlier runs (measured from the ACK rate; starts at 150 ms), so kills land
 * inside the batch on fast and slow machines alike.
 */
const FIRST_WINDOW_MS = 150;
const CHILD = path.join(ROOT, 'tests', 'kit', 'ingest-child.ts');
/**
 * Settings shared by the child and the clean reference run. Query translation is off: the child
 * then skips loading the 25 MB dictionary at each start, and chunking does not depend on it.
 */
const SETTINGS = { EMBEDDINGS: 'off', TRANSLATE: 'false', LOG_LEVEL: 'silent' } as const;


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
      env: { ...process.env, ...SETTINGS },
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

/** Chunk and paragraph counts of one stored document. */
interface Shape {
  chunks: number;
  paragraphs: number;
}

/**
 * Check the store's integrity after a kill: SQLite integrity, no orphaned chunk or paragraph, and
 * every stored document exactly as a clean ingest made it (`expected`, by document id): a document
 * with fewer chunks or paragraphs is half-written. Returns the stored document ids.
 */
function checkStore(dataDir: string, expected: Map<string, Shape>, when: string): Set<string> {
  const db = new Database(path.join(dataDir, 'dossier.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const orphanChunks = db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE doc_id NOT IN (SELECT id FROM documents)').get() as { n: number };
    const orphanParas = db.prepare('SELECT COUNT(*) AS n FROM paragraphs WHERE doc_id NOT IN (SELECT id FROM documents)').get() as { n: number };
    expect(orphanChunks.n, `orphaned chunks ${when}`).toBe(0);
    expect(orphanParas.n, `orphaned paragraphs ${when}`).toBe(0);
    const rows = db
      .prepare(
        `SELECT d.id,
                (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id) AS chunks,
                (SELECT COUNT(*) FROM paragraphs p WHERE p.doc_id = d.id) AS paragraphs
           FROM documents d`,
      )
      .all() as ({ id: string } & Shape)[];
    for (const r of rows) {
      const want = expected.get(r.id);
      expect(want, `unknown document ${r.id} ${when}`).toBeDefined();
      expect({ chunks: r.chunks, paragraphs: r.paragraphs }, `document ${r.id} incomplete ${when}`).toEqual(want);
    }
    return new Set(rows.map((r) => r.id));
  } finally {
    db.close();
  }
}

/**
 * `n` distinct short German documents (6–14 sentences, 1–3 paragraphs) made from the seed report's
 * sentences; each opens with a numbered sentence of its own so no two share an id.
 */
function articles(n: number): string[] {
  const sentences = fs.readFileSync(SEED, 'utf8').split(/(?<=[.!?])\s+/).filter((x) => x.length > 40 && !x.includes('\n'));
  const random = rng(7);
  return Array.from({ length: n }, (_, i) => {
    const count = 6 + Math.floor(random() * 9);
    const picked = Array.from({ length: count }, () => sentences[Math.floor(random() * sentences.length)]);
    const third = Math.ceil(count / 3);
    const paras = random() < 0.5 ? [picked] : [picked.slice(0, third), picked.slice(third, 2 * third), picked.slice(2 * third)].filter((p) => p.length);
    return `Meldung ${i + 1}: Im Bezirk ${1000 + i} wurden ${Math.floor(random() * 9000)} Anträge gezählt. ${paras.map((p) => p.join(' ')).join('\n\n')}\n`;
  });
}

/** Chunk and paragraph counts per document id from a clean, uninterrupted in-process ingest. */
async function cleanShapes(dir: string, folders: string[]): Promise<Map<string, Shape>> {
  const corpus = path.join(dir, 'clean-corpus');
  fs.mkdirSync(corpus);
  const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'clean-data'), CORPUS_DIR: corpus, ...SETTINGS }));
  const out = new Map<string, Shape>();
  try {
    for (const folder of folders) {
      for (const f of fs.readdirSync(folder).sort()) {
        const r = await d.ingest({ bytes: fs.readFileSync(path.join(folder, f)), filename: f, source: f });
        out.set(r.document.id, { chunks: r.document.chunks, paragraphs: 0 });
      }
    }
  } finally {
    await d.close();
  }
  const db = new Database(path.join(dir, 'clean-data', 'dossier.sqlite'), { readonly: true });
  try {
    for (const [id, shape] of out) shape.paragraphs = (db.prepare('SELECT COUNT(*) AS n FROM paragraphs WHERE doc_id = ?').get(id) as { n: number }).n;
  } finally {
    db.close();
  }
  return out;
}

describe('crash safety of bulk ingestion', () => {
  it(`survives ${KILLS} SIGKILLs: acknowledged documents complete and searchable, no orphans, a rerun finishes`, { timeout: 300_000 }, async () => {
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
    const expected = await cleanShapes(dir, folders);
    expect(expected.size, 'generated documents must be distinct').toBe(texts.length);
    // The reference itself must vary, or a count check would not tell documents apart.
    expect(new Set([...expected.values()].map((s) => s.chunks)).size).toBeGreaterThan(1);

    const random = rng(20261129);
    const acked = new Map<string, string>();
    let killsMidway = 0;
    let windowMs = FIRST_WINDOW_MS;
    for (let k = 0; k < KILLS; k++) {
      const t0 = Date.now();
      const run = await runChild(dataDir, corpus, [folders[k]], Math.floor(random() * windowMs));
      if (run.acked.size >= 3) windowMs = Math.min(3000, Math.max(50, (run.ackMs / run.acked.size) * BATCH));
      if (process.env.CRASH_DEBUG) console.log(`kill ${k + 1}: ${run.acked.size} acked, ${Date.now() - t0} ms, window ${Math.round(windowMs)} ms`);
      for (const [f, id] of run.acked) acked.set(f, id);
      if (run.acked.size < BATCH) killsMidway++;
      const docs = checkStore(dataDir, expected, `after kill ${k + 1}`);
      for (const [f, id] of acked) expect(docs.has(id), `acknowledged ${f} is missing after kill ${k + 1}`).toBe(true);
    }
    expect(killsMidway, 'most kills should land in the middle of a batch').toBeGreaterThanOrEqual(KILLS / 2);

    const final = await runChild(dataDir, corpus, folders, null);
    expect(final.done).toBe(true);
    expect(final.acked.size).toBe(texts.length);
    const docs = checkStore(dataDir, expected, 'after the final run');
    expect([...docs].sort()).toEqual([...expected.keys()].sort());

    // Every document is searchable: its numbered lead sentence finds it among the citations.
    const d = await Dossier.open(loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpus, ...SETTINGS }));
    try {
      const missing: string[] = [];
      for (const id of docs) {
        const text = d.documentText(id)!;
        const a = await d.ask(text.split(/\s+/).slice(0, 40).join(' '), { limit: 5 });
        if (!a.citations.some((c) => c.document.id === id)) missing.push(id);
      }
      expect(missing).toEqual([]);
    } finally {
      await d.close();
    }
    // The completeness check is not vacuous: one chunk fewer makes a document incomplete.
    const db = new Database(path.join(dataDir, 'dossier.sqlite'));
    try {
      db.prepare('DELETE FROM chunks WHERE id = (SELECT MAX(id) FROM chunks)').run();
    } finally {
      db.close();
    }
    expect(() => checkStore(dataDir, expected, 'after removing a chunk')).toThrow(/incomplete/);
    if (process.env.CRASH_DEBUG) console.log(`crash test: ${KILLS} kills (${killsMidway} mid-ingestion), ${acked.size} files acknowledged before the final run, ${docs.size} documents in the end`);
  });
});
