/**
 * Paired comparison of two `scripts/answer-eval.ts --dump` files of the same part: the mean
 * difference (after − before) of short-answer F1, EM and answer@1 with its 95 % percentile
 * bootstrap interval, per run (EN→DE, DE→DE). Questions are paired by language and question text;
 * the bootstrap resamples gold answers (the EN and DE form of one XQuAD question are one cluster
 * when both runs are in the dump), scripts/lib/metrics.ts `bootstrap`.
 *
 *   npx tsx scripts/dump-diff.ts BEFORE.jsonl AFTER.jsonl
 *
 * Only the answer runs are paired: the near-miss and held-out rows of `--near-miss` /
 * `--unanswerable` (field `run`) ask the same question texts and would replace them.
 *
 * Errors: exits 1 when a file is missing or the two dumps share no question.
 */
import fs from 'node:fs';
import { bootstrap } from './lib/metrics.js';

interface Row { run?: string; lang: string; q: string; gold: string; a1: boolean; f1: number; short?: string | null }

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile || !fs.existsSync(beforeFile) || !fs.existsSync(afterFile)) {
  console.error('usage: npx tsx scripts/dump-diff.ts BEFORE.jsonl AFTER.jsonl');
  process.exit(1);
}
const read = (f: string) =>
  new Map(
    fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row).filter((r) => r.run === undefined).map((r) => [`${r.lang}\t${r.q}`, r] as const),
  );
const before = read(beforeFile);
const after = read(afterFile);
const em = (r: Row) => (r.f1 === 1 ? 1 : 0);
const out: Record<string, unknown> = {};
for (const lang of ['en', 'de']) {
  const rows: { cluster: string; values: Record<string, number> }[] = [];
  for (const [k, a] of after) {
    const b = before.get(k);
    if (!b || a.lang !== lang) continue;
    rows.push({ cluster: a.gold, values: { f1: a.f1 - b.f1, em: em(a) - em(b), a1: Number(a.a1) - Number(b.a1), changed: a.short === b.short ? 0 : 1 } });
  }
  if (rows.length) out[lang === 'en' ? 'en_de' : 'de_de'] = { n: rows.length, ...bootstrap(rows, ['f1', 'em', 'a1', 'changed']) };
}
if (Object.keys(out).length === 0) {
  console.error('the two dumps share no question');
  process.exit(1);
}
console.log(JSON.stringify(out, (_, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
