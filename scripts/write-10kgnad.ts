/**
 * Write the 1,028 articles of ../shared/data/10kgnad/test.csv out as text files (one per article,
 * `title`-less, with a `source` header naming the row), for ingestion throughput runs:
 *
 *   npx tsx scripts/write-10kgnad.ts /tmp/10kgnad && time npm run cli -- ingest /tmp/10kgnad
 *
 * The data stays outside the repository (CC BY-NC-SA 4.0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: tsx scripts/write-10kgnad.ts <folder> [csv]\n');
  process.exit(2);
}
const csv = process.argv[3] ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', '10kgnad', 'test.csv');
const rows = parseCsv(fs.readFileSync(csv, 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
fs.mkdirSync(out, { recursive: true });
let n = 0;
rows.forEach((r, i) => {
  const [label, text] = r;
  if (!text?.trim()) return;
  fs.writeFileSync(path.join(out, `${String(i).padStart(4, '0')}-${label.toLowerCase()}.txt`), `source 10kGNAD test.csv row ${i + 1}\n\n${text}\n`);
  n++;
});
process.stderr.write(`wrote ${n} articles to ${out}\n`);
