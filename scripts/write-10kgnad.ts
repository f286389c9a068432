/**
 * Write the 1,028 articles of ../shared/data/10kgnad/test.csv out as text files (one per article,
 * `title`-less, with a `source` header naming the row), for ingestion throughput runs:
 *
 *   npx tsx scripts/write-10kgnad.ts /tmp/10kgnad [csv] && time npm run cli -- ingest /tmp/10kgnad
 *
 * Without the csv (no ../shared, no argument) it writes the built-in sample instead (the
 * generated German texts of scripts/lib/sample.ts) and says where to get the real set.
 * The data stays outside the repository (CC BY-NC-SA 4.0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir, PUBLIC_DATA_HELP, readDistractors } from './lib/data.js';
import { SAMPLE_ARTICLES, SAMPLE_DISTRACTORS } from './lib/sample.js';

function fail(message: string): never {
  process.stderr.write(`write-10kgnad: ${message}\n`);
  process.exit(2);
}

const out = process.argv[2];
if (!out || out === '--help' || out === '-h') {
  process.stderr.write('usage: tsx scripts/write-10kgnad.ts <folder> [csv]   (csv default: ../shared/data/10kgnad/test.csv)\n');
  process.exit(out ? 0 : 2);
}
const given = process.argv[3];
const csv = given ?? path.join(defaultDataDir(), '10kgnad', 'test.csv');
let texts: { name: string; body: string }[];
if (!given && !fs.existsSync(csv)) {
  process.stderr.write(`write-10kgnad: ${csv} not found; writing the built-in sample instead.\n${PUBLIC_DATA_HELP}\n`);
  const all = [...SAMPLE_DISTRACTORS, ...SAMPLE_ARTICLES.flatMap((a) => a.paragraphs.map((p) => p.de))];
  texts = all.map((t, i) => ({ name: `${String(i).padStart(4, '0')}-sample.txt`, body: `source built-in sample ${i + 1}\n\n${t}\n` }));
} else {
  let rows: { text: string }[];
  try {
    rows = readDistractors(csv, 'the csv argument');
  } catch (err) {
    fail((err as Error).message);
  }
  texts = rows.map((r, i) => ({ name: `${String(i).padStart(4, '0')}.txt`, body: `source 10kGNAD test.csv article ${i + 1}\n\n${r.text}\n` }));
}
try {
  fs.mkdirSync(out, { recursive: true });
  for (const t of texts) fs.writeFileSync(path.join(out, t.name), t.body);
} catch (err) {
  fail(`cannot write to ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}
process.stderr.write(`wrote ${texts.length} articles to ${out}\n`);
