/** The CLI as a user runs it (issue 14 items 7 and 8): remove by title, restore, JSON refusals. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const env = { ...process.env, EMBEDDINGS: 'off', DATA_DIR: path.join(tempDir(), 'data'), CORPUS_DIR: path.join(ROOT, 'corpus'), LOG_LEVEL: 'error' };
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const listed = () => JSON.parse(cli('list', '--json').out) as { id: string; title: string }[];

describe('cli', () => {
  it('removes a document by exact title (any case) and restores the bundled one', () => {
    const [seed] = listed();
    expect(seed.title.length).toBeGreaterThan(10);
    const miss = cli('remove', seed.title.slice(0, 20));
    expect(miss.status).toBe(2);
    expect(miss.err).toContain('No document with the id or title');
    const rm = cli('remove', seed.title.toUpperCase());
    expect(rm.status).toBe(0);
    expect(rm.out).toContain(`removed ${seed.id}`);
    expect(listed()).toEqual([]);
    expect(cli('list').out).toMatch(/^no documents stored; add some with .*ingest.*restore/);
    const back = cli('restore');
    expect(back.out).toBe('restored 000_f6d27b86c4846197.txt\n');
    expect(listed().map((d) => d.id)).toEqual([seed.id]);
    expect(cli('restore').out).toBe('no bundled document was removed\n');
    expect(cli('restore', 'other.txt').status).toBe(2);
  }, 120_000);

  it('says once per data folder that dense retrieval is off, and asks no hub', () => {
    const userEnv: NodeJS.ProcessEnv = { ...process.env };
    delete userEnv.EMBEDDINGS;
    delete userEnv.LOG_LEVEL;
    const cache = tempDir();
    const run = (dataDir: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'ask', 'Wie viele Drohnen im Monat?'], {
        cwd: ROOT,
        // Default EMBEDDINGS and LOG_LEVEL, as a user has them; a hub address nothing listens on.
        env: { ...userEnv, DATA_DIR: dataDir, CORPUS_DIR: path.join(ROOT, 'corpus'), MODEL_CACHE_DIR: cache, MODEL_REMOTE_HOST: 'http://127.0.0.1:9/' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const dir = path.join(tempDir(), 'data');
    const first = run(dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('100 Drohnen im Monat');
    expect(first.stderr.match(/dense retrieval/gi)).toHaveLength(1);
    const second = run(dir);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('100 Drohnen im Monat');
    expect(second.stderr).not.toMatch(/dense retrieval/i);
    expect(run(path.join(tempDir(), 'data')).stderr).toContain('dense retrieval is off');
  }, 180_000);

  it('ask --json prints a JSON error for a refused question', () => {
    const r = cli('ask', '--json', '');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ question: '', error: { reason: 'empty', message: 'The question is empty.' } });
  }, 60_000);

  it('summary takes an id or the exact title, and --json prints a JSON error for an unknown one', () => {
    const [seed] = listed();
    const byTitle = cli('summary', '--json', seed.title.toLowerCase());
    expect(byTitle.status).toBe(0);
    expect(JSON.parse(byTitle.out).document.id).toBe(seed.id);
    const miss = cli('summary', '--json', 'nope');
    expect(miss.status).toBe(2);
    expect(JSON.parse(miss.out)).toEqual({ document: 'nope', error: { reason: 'not-found', message: expect.stringContaining('No document with the id or title "nope"') } });
  }, 60_000);

  it('option help gives range and default; bad counts are refused in words', () => {
    expect(cli('ask', '--help').out).toMatch(/-k, --passages <n>\s+number of passages to cite, 1 to 50\s+\(default:/);
    const bad = cli('summary', '-n', 'x');
    expect(bad.status).not.toBe(0);
    expect(bad.err).toContain('must be a whole number from 1 to 20');
  }, 60_000);

  it('a question may start with "-"; a mistyped option is still refused', () => {
    const q = cli('ask', '-100 Drohnen im Monat?', '--json');
    expect(q.status).toBe(0);
    const a = JSON.parse(q.out) as { question: string; abstained: boolean };
    expect(a.question).toBe('-100 Drohnen im Monat?');
    const neg = cli('ask', '--json', 'Wie', 'viele', 'Drohnen', '-40');
    expect(JSON.parse(neg.out).question).toBe('Wie viele Drohnen -40');
    const typo = cli('ask', '--jsn', 'Wie viele Drohnen?');
    expect(typo.status).toBe(1);
    expect(typo.err).toContain("unknown option '--jsn'");
    expect(typo.out).toBe('');
    const literal = cli('ask', '--json', '--', '-x', 'Drohnen?');
    expect(JSON.parse(literal.out).question).toBe('-x Drohnen?');
  }, 120_000);
});
