/**
 * One store, two processes: process A (this test) writes, process B (tests/kit/store-child.ts, a
 * running Dossier with its own in-memory indexes) answers from the store without a restart, against
 * SQLite (shared DATA_DIR) and a throwaway PostgreSQL cluster (tests/kit/postgres.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

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
  async until(q: string, ok: (r: Reply) => boolean, ms = 5000): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if (ok(await this.ask(q))) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${q}`);
      await new Promise((r) => setTimeout(r, 50));
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
    const cfg = (sub: string) =>
      loadConfig({ DATA_DIR: path.join(dir, kind === 'sqlite' ? 'data' : sub), CORPUS_DIR: corpus, LOG_LEVEL: 'silent', EMBEDDINGS: 'off', STORE_POLL_MS: 200, ...(url ? { DATABASE_URL: url } : {}) });
    const a = await Dossier.open(cfg('a'));
    const p = spawn(TSX, [CHILD, cfg('b').DATA_DIR, corpus, ...(url ? [url] : [])], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const b = new Child(p);
    try {
      expect(await b.next()).toBe('READY');
      expect((await b.ask(QUESTION)).docs).toEqual([]);

      const added = await a.ingest({ text: `Energie\n\n${FACT}`, source: 'energie.txt' });
      const addDelay = await b.until(QUESTION, (r) => r.docs.includes(added.document.id));
      expect(addDelay).toBeLessThan(2500);

      expect(await a.remove(added.document.id)).toBe(true);
      const removeDelay = await b.until(QUESTION, (r) => !r.docs.includes(added.document.id));
      expect(removeDelay).toBeLessThan(2500);

      // A second writer (its own connection) and A ingest at once: distinct documents plus one both add.
      const c = await Dossier.open(cfg('c'));
      const texts = Array.from({ length: 6 }, (_, i) => `Bericht ${i}\n\nDie Anlage Nummer ${i} in Quarkstadt hat ${100 + i} Mitarbeiter.`);
      const same = 'Gemeinsam\n\nBeide Prozesse speichern diesen Satz über den Quarkolith-Hafen.';
      const results = await Promise.all([
        ...texts.slice(0, 3).map((t, i) => a.ingest({ text: t, source: `r${i}.txt` })),
        ...texts.slice(3).map((t, i) => c.ingest({ text: t, source: `r${i + 3}.txt` })),
        a.ingest({ text: same, source: 'same.txt' }),
        c.ingest({ text: same, source: 'same.txt' }),
      ]);
      expect(results.slice(0, 6).every((r) => r.status === 'added')).toBe(true);
      expect(results.slice(6).map((r) => r.status).sort()).toEqual(['added', 'unchanged']);
      expect(results[6].document.id).toBe(results[7].document.id);
      await b.until('Wie viele Mitarbeiter hat die Anlage Nummer 4?', (r) => r.count === 7);
      await a.catchUp();
      await c.catchUp();
      expect(a.list().length).toBe(7);
      expect(c.list().length).toBe(7);
      expect(new Set(a.list().map((d) => d.id))).toEqual(new Set(c.list().map((d) => d.id)));
      await c.close();
      console.log(`[${kind}] sync delay: add ${addDelay} ms, remove ${removeDelay} ms (poll 200 ms)`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nchild stderr: ${stderr.slice(-2000)}`, { cause: err });
    } finally {
      await b.quit();
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
