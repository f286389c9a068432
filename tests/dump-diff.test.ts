import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Run scripts/dump-diff.ts on two dumps given as row lists; returns its parsed JSON. */
function diff(before: object[], after: object[]): Record<string, { n: number; a1: { value: number } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-diff-test-'));
  try {
    const write = (name: string, rows: object[]) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      return f;
    };
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'dump-diff.ts'), write('a.jsonl', before), write('b.jsonl', after)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/dump-diff.ts', () => {
  it('pairs the answer rows only: a near-miss row of the same question does not replace its answer row', () => {
    const row = (q: string, a1: boolean) => ({ lang: 'en', q, gold: q, rank: 1, a1, f1: 0, short: null });
    const nearMiss = (q: string) => ({ run: 'nearMiss', lang: 'en', q, gold: q, refused: true });
    // Question A gains, B stays; the near-miss pool asks A again (as answer-eval.ts --near-miss does).
    const out = diff([row('A', false), row('B', true), nearMiss('A')], [row('A', true), row('B', true), nearMiss('A')]);
    expect(out.en_de.n).toBe(2);
    expect(out.en_de.a1.value).toBe(0.5);
  });
});
