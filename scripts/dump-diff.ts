/**
 * Paired comparison of two `scripts/answer-eval.ts --dump` files of the same part: the mean
 * difference (after − before) of short-answer F1, EM and answer@1 with its 95 % percentile
 * bootstrap interval, per run (EN→DE, DE→DE). Questions are paired by language and question text;
 * the bootstrap resamples gold answers (the EN and DE form of one XQuAD question are one cluster
 * when both runs are in the dump), scripts/lib/metrics.ts `bootstrap`. Rows of the near-miss and
 * off-topic runs (`--near-miss`, `--unanswerable`) are paired within their run, by language and
 * question, and compared on `refused` (abstained or "not stated": the right reply there).
 *
 *   npx tsx scripts/dump-diff.ts BEFORE.jsonl AFTER.jsonl
 *
 * Errors: exits 1 when a file is missing or the two dumps share no question.
 */
import fs from 'node:fs';
import { pairedDiffs, parseDump } from './lib/dump-pairs.js';

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile || !fs.existsSync(beforeFile) || !fs.existsSync(afterFile)) {
  console.error('usage: npx tsx scripts/dump-diff.ts BEFORE.jsonl AFTER.jsonl');
  process.exit(1);
}
const out = pairedDiffs(parseDump(fs.readFileSync(beforeFile, 'utf8')), parseDump(fs.readFileSync(afterFile, 'utf8')));
if (Object.keys(out).length === 0) {
  console.error('the two dumps share no question');
  process.exit(1);
}
console.log(JSON.stringify(out, (_, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
