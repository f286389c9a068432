/**
 * Why the answer line misses when the search found the gold paragraph: every tuning-part XQuAD
 * question (EN→DE and DE→DE, pool of all 240 German paragraphs, as scripts/answer-eval.ts) is asked
 * through `Dossier.ask` (limit 10, EMBEDDINGS=off) with the extractor's sentence traces, and each
 * row whose gold paragraph is cited first but whose answer line lacks the gold text is written as
 * one JSON line (also rows whose gold paragraph is cited later: other passage): the kind (refused / other passage / wrong sentence of the gold paragraph / gold
 * sentence picked but the line lacks the gold), the picked and the best gold-holding sentence with
 * their facts. Tuning part only; for error analysis, no metric is tuned on it directly.
 *
 *   SHARED_DATA_DIR=/work/shared/data nice -n 10 npx tsx scripts/sentence-errors.ts [--out FILE]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { readXquadPair } from './lib/data.js';
import { normalizeAnswer, plainAnswerText } from './answer-metrics.js';
import type { SentenceTrace } from '../src/answer/extract.js';

const opts = new Command().option('--out <file>', 'JSON lines output', '/tmp/sentence-errors.jsonl').parse().opts<{ out: string }>();
const shared = process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const { de, parts, enQuestion } = readXquadPair(shared);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-sentence-errors-'));
fs.mkdirSync(path.join(dir, 'corpus'));
const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
const keyOf = new Map<string, string>();
const asked: { key: string; gold: string; question: string; lang: string }[] = [];
for (const [ai, art] of de.data.entries())
  for (const [pi, p] of art.paragraphs.entries()) {
    const key = `${art.title} ¶${pi + 1} (${ai}/${pi})`;
    keyOf.set((await d.ingest({ text: p.context, title: key, source: `eval:${key}` })).document.id, key);
    if (parts.get(art.title) !== 'tuning') continue;
    for (const q of p.qas) {
      const g = q.answers[0];
      if (!g) continue;
      asked.push({ key, gold: g.text, question: q.question, lang: 'de' });
      const e = enQuestion.get(q.id);
      if (e) asked.push({ key, gold: g.text, question: e, lang: 'en' });
    }
  }
const out = fs.openSync(opts.out, 'w');
const counts: Record<string, number> = {};
const holds = (s: string, gold: string) => normalizeAnswer(s, false).includes(normalizeAnswer(gold, false));
for (const a of asked) {
  let rows: SentenceTrace[] = [];
  const r = await d.ask(a.question, { limit: 10, onSentences: (x) => (rows = x) });
  const docs = [...new Set(r.citations.map((c) => keyOf.get(c.document.id) ?? '?'))];
  if (!docs.includes(a.key)) continue;
  const refused = r.abstained || r.notStated === true;
  const a1 = !refused && holds(plainAnswerText(r.answer), a.gold);
  if (a1) continue;
  const first = r.citations[0];
  const kind = docs[0] !== a.key ? (refused ? 'refusedGoldLater' : 'otherPassage') : refused ? (r.abstained ? 'abstained' : 'notStated') : holds(first.quote, a.gold) ? 'goldSentenceLineMiss' : 'wrongSentence';
  counts[`${a.lang}:${kind}`] = (counts[`${a.lang}:${kind}`] ?? 0) + 1;
  const picked = rows.find((x) => x.picked);
  const goldRows = rows.filter((x) => holds(x.quote, a.gold));
  const bestGold = goldRows.reduce<SentenceTrace | null>((b, x) => (!b || x.facts.handTotal > b.facts.handTotal ? x : b), null);
  const slim = (x: SentenceTrace | null | undefined) => x && { quote: x.quote, short: x.short, passage: x.passage, facts: x.facts };
  fs.writeSync(out, JSON.stringify({ lang: a.lang, q: a.question, gold: a.gold, kind, answer: r.answer, picked: slim(picked), gold_: slim(bestGold), goldRank: bestGold ? rows.filter((x) => x.facts.handTotal > bestGold.facts.handTotal).length : -1 }) + '\n');
}
await d.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(counts));
