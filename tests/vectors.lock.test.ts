/**
 * One writer at a time for the vector index files (src/store/file-lock.ts, src/store/vectors.ts):
 * stale locks of dead processes are broken, a live holder makes a save wait and then fail
 * cleanly (the retriever reports it and keeps the changes), two replicas merge instead of
 * overwriting each other, and two processes ingesting into one DATA_DIR with embeddings on lose
 * nothing and report nothing failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockTimeoutError, withFileLock } from '../src/store/file-lock.js';
import { VectorIndex } from '../src/store/vectors.js';
import { DenseRetriever } from '../src/search/dense.js';
import type { Embedder } from '../src/embed/embedder.js';
import { captureLog, modelTree, warnings } from './kit/dense-kit.js';
import { ROOT, tempDir } from './helpers.js';

const SPACE = { modelId: 'test', dim: 4 };
const vec = (i: number) => [1, i % 7, (i * 3) % 5, 1 + (i % 2)];

/** A live process that is not this one (its pid holds a lock in the tests). */
function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('spawn', () => resolve(child)));
}

describe('file lock', () => {
  it('breaks the lock of a process that no longer runs, and releases its own', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'x.lock');
    const dead = await sleeper();
    const pid = dead.pid!;
    dead.kill('SIGKILL');
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lock, JSON.stringify({ pid, host: os.hostname(), token: 'old', at: Date.now() }));
    expect(withFileLock(lock, () => JSON.parse(fs.readFileSync(lock, 'utf8')).pid, { timeoutMs: 2000 })).toBe(process.pid);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('waits for a live holder, then times out with its pid; an old lock counts as stale', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'x.lock');
    const live = await sleeper();
    try {
      fs.writeFileSync(lock, JSON.stringify({ pid: live.pid, host: os.hostname(), token: 'live', at: Date.now() }));
      let ran = false;
      const t0 = Date.now();
      expect(() => withFileLock(lock, () => (ran = true), { timeoutMs: 200 })).toThrow(LockTimeoutError);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
      expect(ran).toBe(false);
      expect(() => withFileLock(lock, () => 1, { timeoutMs: 100 })).toThrow(new RegExp(`pid ${live.pid}`));
      // The same lock, once older than staleMs, is broken even though its pid runs.
      const old = new Date(Date.now() - 10_000);
      fs.utimesSync(lock, old, old);
      expect(withFileLock(lock, () => 'ran', { timeoutMs: 200, staleMs: 5000 })).toBe('ran');
    } finally {
      live.kill('SIGKILL');
    }
  });
});

describe('vector index with two replicas', () => {
  it('a save merges the generation another replica saved meanwhile (adds and removals of both)', () => {
    const dir = tempDir();
    const a = VectorIndex.open(dir, SPACE);
    const b = VectorIndex.open(dir, SPACE);
    for (let i = 1; i <= 10; i++) a.add(i, vec(i));
    a.save();
    for (let i = 11; i <= 20; i++) b.add(i, vec(i));
    b.save(); // b never loaded a's generation: it must merge, not overwrite
    a.remove([3]);
    a.add(21, vec(21));
    a.save();
    b.remove([15]);
    b.save();
    const c = VectorIndex.open(dir, SPACE);
    expect(c.opened.state).toBe('ok');
    const want = [...Array.from({ length: 21 }, (_, i) => i + 1)].filter((i) => i !== 3 && i !== 15);
    expect(c.ids().sort((x, y) => x - y)).toEqual(want);
    // The replica that saved last also holds everything.
    expect(b.ids().sort((x, y) => x - y)).toEqual(want);
    // Only the committed generation is left on disk.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.hnsw'))).toHaveLength(1);
  });

  it('clear() replaces the files instead of merging with them', () => {
    const dir = tempDir();
    const a = VectorIndex.open(dir, SPACE);
    a.add(1, vec(1));
    a.save();
    const b = VectorIndex.open(dir, SPACE);
    a.add(2, vec(2));
    a.save();
    b.clear();
    b.add(7, vec(7));
    b.save();
    expect(VectorIndex.open(dir, SPACE).ids()).toEqual([7]);
  });

  it('a save while another process holds the lock fails cleanly and keeps the changes', async () => {
    const dir = tempDir();
    const a = VectorIndex.open(dir, SPACE, { lock: { timeoutMs: 150 } });
    a.add(1, vec(1));
    const live = await sleeper();
    const lock = path.join(dir, 'vectors.lock');
    try {
      fs.writeFileSync(lock, JSON.stringify({ pid: live.pid, host: os.hostname(), token: 'live', at: Date.now() }));
      expect(() => a.save()).toThrow(LockTimeoutError);
      expect(a.isDirty).toBe(true);
      expect(fs.existsSync(path.join(dir, 'vectors.json'))).toBe(false);
    } finally {
      live.kill('SIGKILL');
      await new Promise((r) => live.once('exit', r));
    }
    a.save(); // the holder died: its lock is stale
    expect(VectorIndex.open(dir, SPACE).ids()).toEqual([1]);
  });
});

describe('dense retriever flush', () => {
  it('reports a save that cannot take the lock (false + one warning), keeps the vectors, and saves on the next flush', async () => {
    const lines = captureLog();
    const dir = tempDir();
    const embedder: Embedder = {
      modelId: 'probe',
      dim: 4,
      fingerprint: 'probe',
      embed: async (texts) => texts.map((t) => {
        const v = new Float32Array([1, t.length % 5, t.charCodeAt(0) % 7, 1]);
        const n = Math.hypot(...v);
        return v.map((x) => x / n);
      }),
    };
    const db = new Database(':memory:');
    const dense = DenseRetriever.open({ embedder, db, dir, index: { lock: { timeoutMs: 100 } } });
    await dense.add([{ id: 1, text: 'eins' }, { id: 2, text: 'zwei' }]);
    const live = await sleeper();
    const lock = path.join(dir, 'vectors.lock');
    try {
      fs.writeFileSync(lock, JSON.stringify({ pid: live.pid, host: os.hostname(), token: 'live', at: Date.now() }));
      expect(dense.flush()).toBe(false);
      expect(warnings(lines).map((l) => l.msg)).toEqual([expect.stringMatching(/could not save the vector index/)]);
    } finally {
      live.kill('SIGKILL');
      await new Promise((r) => live.once('exit', r));
    }
    expect(dense.flush()).toBe(true);
    expect(VectorIndex.open(dir, { modelId: 'probe', dim: 4 }).ids().sort()).toEqual([1, 2]);
    db.close();
  });
});

describe('two processes ingesting into one DATA_DIR with embeddings on', () => {
  let model: { root: string; id: string };
  beforeAll(async () => {
    model = await modelTree('tiny');
  });
  afterAll(() => fs.rmSync(model.root, { recursive: true, force: true }));

  /** `count` small distinct documents in a fresh folder. */
  function folder(tag: string, count: number): string {
    const dir = tempDir(`dossier-docs-${tag}-`);
    for (let i = 0; i < count; i++) {
      const lines = Array.from({ length: 6 }, (_, j) => `Bericht ${tag}${i} Absatz ${j}: Die Werkstatt ${tag}${i}x${j} liefert ${i * 10 + j} Teile pro Monat.`);
      fs.writeFileSync(path.join(dir, `${tag}_${String(i).padStart(2, '0')}.txt`), `Titel ${tag} ${i}\n\n${lines.join(' ')}\n`);
    }
    return dir;
  }

  function run(dataDir: string, corpus: string, docs: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests', 'kit', 'ingest-child.ts'), dataDir, corpus, docs], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EMBEDDINGS: 'auto', MODEL_DIR: model.root, MODEL_ID: model.id, TRANSLATE: 'false', QUERY_PREFIX: '', PASSAGE_PREFIX: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    // A hung child is killed, so the assertions below show how far it got.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
  }

  it('nothing is reported failed and the saved index holds every stored chunk', async () => {
    const root = tempDir();
    const dataDir = path.join(root, 'data');
    const corpus = path.join(root, 'corpus');
    fs.mkdirSync(corpus);
    const n = 12;
    const [a, b] = await Promise.all([run(dataDir, corpus, folder('a', n)), run(dataDir, corpus, folder('b', n))]);
    for (const r of [a, b]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.match(/^ACK .* added$/gm)).toHaveLength(n);
      expect(r.stdout).toMatch(/DONE\n$/);
    }
    const db = new Database(path.join(dataDir, 'dossier.sqlite'), { readonly: true });
    const ids = db.prepare('SELECT id FROM chunks').pluck().all() as number[];
    const docs = db.prepare('SELECT COUNT(*) FROM documents').pluck().get();
    const space = JSON.parse(fs.readFileSync(path.join(dataDir, 'vectors.json'), 'utf8')) as { modelId: string; dim: number };
    db.close();
    expect(docs).toBe(2 * n);
    // Opened without syncing against the store: what both processes saved, merged.
    const index = VectorIndex.open(dataDir, space);
    expect(index.opened.state).toBe('ok');
    expect(index.compare(ids)).toEqual({ ok: true, missing: [], extra: [] });
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
