/**
 * Quick check of the reverse cross-lingual task (the full figures with bootstrap intervals per split
 * part: `npm run -s eval -- --only xquad_de_en`): German
 * XQuAD questions over the 240 English paragraphs (each paragraph one document), through the same
 * ingest and ask code as the bot, EMBEDDINGS off. recall@k = a cited passage (k citations) lies in
 * the gold paragraph's document; answer@1 = the first citation contains the gold English answer.
 * All 632 questions (tuning + reporting split; the tuning part chose the German → English
 * translation of src/search/dictionary.ts englishTermsOfGerman).
 * Usage: nice -n 10 npx tsx scripts/xquad-de-en.ts [--limit N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';

type Squad = { data: { paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[] };
const dir = process.env.SHARED_DATA_DIR ?? '/work/shared/data';
const de = JSON.parse(fs.readFileSync(path.join(dir, 'xquad', 'xquad-dev.de.json'), 'utf8')) as Squad;
const en = JSON.parse(fs.readFileSync(path.join(dir, 'xquad', 'xquad-dev.en.json'), 'utf8')) as Squad;
const limit = Number(process.argv[process.argv.indexOf('--limit') + 1]) || Infinity;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xq-'));
fs.mkdirSync(path.join(tmp, 'corpus'));
const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(tmp, 'data'), CORPUS_DIR: path.join(tmp, 'corpus'), EMBEDDINGS: 'off', LOG_LEVEL: 'error' }));
const gold = new Map<string, { doc: string; answer: string }>();
const questions: { id: string; q: string }[] = [];
let pi = 0;
for (const [ai, art] of en.data.entries()) {
  for (const [pj, p] of art.paragraphs.entries()) {
    const r = await d.ingest({ bytes: new TextEncoder().encode(`title xquad ${pi++}\nlang en\n\n${p.context}`), filename: `p${ai}-${pj}.txt` });
    for (const qa of p.qas) gold.set(qa.id, { doc: r.document.id, answer: qa.answers[0].text });
    for (const qa of de.data[ai].paragraphs[pj].qas) questions.push({ id: qa.id, q: qa.question });
  }
}
let n = 0, r1 = 0, r5 = 0, a1 = 0;
for (const { id, q } of questions.filter((x) => gold.has(x.id)).slice(0, limit)) {
  const g = gold.get(id)!;
  const ans = await d.ask(q, { limit: 5 });
  const docs = ans.citations.map((c) => c.document.id);
  n++;
  if (docs[0] === g.doc) r1++;
  if (docs.includes(g.doc)) r5++;
  if (ans.citations[0]?.quote.includes(g.answer)) a1++;
}
await d.close();
const f = (x: number) => (x / n).toFixed(3);
console.log(JSON.stringify({ questions: n, recall1: f(r1), recall5: f(r5), answer1: f(a1) }));
