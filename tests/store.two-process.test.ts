/**
 * One store, two processes: process A (this test) writes, process B (tests/kit/store-child.ts, a
 * running Dossier with its own in-memory indexes following the change log) answers from the store
 * without a restart, against SQLite (a shared DATA_DIR) and a throwaway PostgreSQL cluster
 * (tests/kit/postgres.ts; skipped with a message where PostgreSQL is not installed). Then two
 * writers ingest at once: nothing is lost or misreported, and every process ends with the same
 * documents.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { startPostgres, type TestPostgres } from './kit/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHILD = path.join(ROOT, 'tests', 'kit', 'store-child.ts');
/** Poll period of both processes; the bound on the delay below is a few of these. */
const POLL_MS = 200;
/** Generous for a loaded CI machine; the measured delays are in README "Scaling out" (scripts/store-scale.ts). */
const BOUND_MS = 5000;

interface Reply { q: string; docs: string[]; abstained: boolean; count: number }

class Child {
  private lines: AsyncIterator<string>;
  constructor(private readonly p: ChildProcessWithoutNullStreams) {
    this.lines = readline.createInterface({ input: p.stdout })[Symbol.asyncIterator]();
  }
  async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error('child exited');
    return r.value;
  }
  async ask(q: string): Promise<Reply> {
    this.p.stdin.write(q + '\n');
    return JSON.parse(await this.next()) as Reply;
  }
  /** Ask until `ok` holds; returns the milliseconds it took. @throws after `ms`. */
  async until(q: string, ok: (r: Reply) => boolean, ms = BOUND_MS): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if (ok(await this.ask(q))) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${q}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Ask the child to quit; killed after 5 s. */
  quit(): Promise<void> {
    if (this.p.exitCode !== null) return Promise.resolve();
    this.p.stdin.end('QUIT\n');
    return new Promise((r) => {
      const t = setTimeout(() => this.p.kill('SIGKILL'), 5000);
      this.p.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
}

const FACT = 'Der Quarkolith-Reaktor in Berlinchen liefert seit März 417 Megawatt Strom für die Region.';
const QUESTION = 'Wie viel Megawatt liefert der Quarkolith-Reaktor?';

let pgc: TestPostgres | null = null;
beforeAll(async () => {
  pgc = await startPostgres();
});
afterAll(() => pgc?.stop());

describe.each(['sqlite', 'postgres'] as const)('two processes on one %s store', (kind) => {
  it('B answers what A ingests without restart, stops citing what A removes, and concurrent ingests all arrive', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-2p-'));
    const corpus = path.join(dir, 'corpus');
    fs.mkdirSync(corpus);
    const url = kind === 'postgres' ? await pgc!.newDatabase() : undefined;
    // SQLite: one DATA_DIR for all; PostgreSQL: each process its own local DATA_DIR (as on separate machines).
    const cfg = (sub: string) =>
      loadConfig({ DATA_DIR: path.join(dir, kind === 'sqlite' ? 'data' : sub), CORPUS_DIR: corpus, LOG_LEVEL: 'silent', EMBEDDINGS: 'off', TRANSLATE: false, STORE_POLL_MS: POLL_MS, ...(url ? { DATABASE_URL: url } : {}) });
    const a = await Dossier.open(cfg('a'));
    // Node with tsx's loader (the tsx CLI would run the script in a grandchild).
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD, cfg('b').DATA_DIR, corpus, ...(url ? [url] : [])], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const b = new Child(p);
    let c: Dossier | null = null;
    try {
      expect(await b.next()).toBe('READY');
      const before = await b.ask(QUESTION);
      expect(before.docs).toEqual([]);
      expect(before.abstained).toBe(true);

      const added = await a.ingest({ text: `Energie\n\n${FACT}`, source: 'energie.txt' });
      expect(added.status).toBe('added');
      await b.until(QUESTION, (r) => r.docs.includes(added.document.id) && !r.abstained);

      // A new version under the same source replaces the old one in B as well.
      const v2 = await a.ingest({ text: `Energie\n\n${FACT.replace('417', '512')}`, source: 'energie.txt' });
      expect(v2).toMatchObject({ status: 'replaced', replaced: added.document.id });
      await b.until(QUESTION, (r) => r.docs.includes(v2.document.id) && !r.docs.includes(added.document.id) && r.count === 1);

      expect(await a.remove(v2.document.id)).toBe(true);
      await b.until(QUESTION, (r) => r.docs.length === 0 && r.count === 0);

      // A second writer (its own connection) and A ingest at once: distinct documents plus one both add.
      c = await Dossier.open(cfg('c'));
      const texts = Array.from({ length: 6 }, (_, i) => `Bericht ${i}\n\nDie Anlage Nummer ${i} in Quarkstadt hat ${100 + i} Mitarbeiter.`);
      const same = 'Gemeinsam\n\nBeide Prozesse speichern diesen Satz über den Quarkolith-Hafen.';
      const results = await Promise.all([
        ...texts.slice(0, 3).map((t, i) => a.ingest({ text: t, source: `r${i}.txt` })),
        ...texts.slice(3).map((t, i) => c!.ingest({ text: t, source: `r${i + 3}.txt` })),
        a.ingest({ text: same, source: 'same.txt' }),
        c.ingest({ text: same, source: 'same.txt' }),
      ]);
      expect(results.slice(0, 6).map((r) => r.status)).toEqual(Array(6).fill('added'));
      expect(results.slice(6).map((r) => r.status).sort()).toEqual(['added', 'unchanged']);
      expect(results[6].document.id).toBe(results[7].document.id);
      expect(new Set(results.map((r) => r.document.id)).size).toBe(7);
      await b.until('Wie viele Mitarbeiter hat die Anlage Nummer 4?', (r) => r.count === 7 && r.docs.includes(results[4].document.id));
      await a.catchUp();
      await c.catchUp();
      const ids = (d: Dossier) => d.list().map((x) => x.id).sort();
      expect(ids(a)).toEqual([...new Set(results.map((r) => r.document.id))].sort());
      expect(ids(c)).toEqual(ids(a));
      // Each sees the other's documents in its answers, not only in its list.
      expect((await a.ask('Wie viele Mitarbeiter hat die Anlage Nummer 5?')).citations[0]?.document.id).toBe(results[5].document.id);
      expect((await c.ask('Wie viele Mitarbeiter hat die Anlage Nummer 1?')).citations[0]?.document.id).toBe(results[1].document.id);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nchild stderr: ${stderr.slice(-2000)}`, { cause: err });
    } finally {
      await b.quit();
      await c?.close();
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(['sqlite', 'postgres'] as const)('the CLI as the other process (%s)', (kind) => {
  it('a running core answers from documents `cli ingest` adds and stops citing what `cli remove` removes, without restart', async (ctx) => {
    if (kind === 'postgres' && !pgc) return ctx.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cli-'));
    const corpus = path.join(dir, 'corpus');
    fs.mkdirSync(corpus);
    const url = kind === 'postgres' ? await pgc!.newDatabase() : undefined;
    const settings = { CORPUS_DIR: corpus, LOG_LEVEL: 'error', EMBEDDINGS: 'off', TRANSLATE: 'false', STORE_POLL_MS: String(POLL_MS), ...(url ? { DATABASE_URL: url } : {}) };
    const running = await Dossier.open(loadConfig({ ...settings, DATA_DIR: path.join(dir, 'bot') }, {}));
    const cli = (...args: string[]) => {
      const env = { ...process.env, ...settings, DATA_DIR: path.join(dir, kind === 'sqlite' ? 'bot' : 'cli') };
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const file = path.join(dir, 'energie.txt');
    fs.writeFileSync(file, `Energie\n\n${FACT}`);
    try {
      expect((await running.ask(QUESTION)).abstained).toBe(true);
      cli('ingest', file);
      const t0 = Date.now();
      let a = await running.ask(QUESTION);
      while (a.abstained && Date.now() - t0 < BOUND_MS) {
        await new Promise((r) => setTimeout(r, 20));
        a = await running.ask(QUESTION);
      }
      expect(a.abstained).toBe(false);
      const id = a.citations[0].document.id;
      expect(running.documentText(id)).toContain('417 Megawatt');
      cli('remove', id);
      const t1 = Date.now();
      while (running.documentText(id) !== undefined && Date.now() - t1 < BOUND_MS) await new Promise((r) => setTimeout(r, 20));
      expect((await running.ask(QUESTION)).citations.map((c) => c.document.id)).not.toContain(id);
    } finally {
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
