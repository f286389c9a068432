/**
 * Answer-line quality on XQuAD (dev), through `Dossier.ask` with default settings: the measurement
 * used to tune the answer ranker (src/answer/rank.ts) until `npm run eval` carries these metrics.
 *
 *   nice -n 10 npx tsx scripts/answer-eval.ts --part tuning|reporting [--json] [--near-miss] [--limit N]
 *
 * Pool: all 240 German XQuAD paragraphs. Questions: those of the chosen part of the fixed split
 * (scripts/lib/split.ts, by article), English (en_de) and German (de_de). The gold answer is the
 * German `answers[0].text`.
 * - answer@1: the gold text occurs in the answer line (Markdown and escapes removed, case folded);
 * - quote@1: it occurs in the first cited quote;
 * - short EM / F1: the `short` answer against the gold (SQuAD v1.1 normalisation plus German
 *   articles), averaged over all questions (no short answer = 0) and over those with one;
 * - refused: abstained or "not stated" although the gold paragraph is cited first (false abstention),
 *   and over all questions (every XQuAD question is answerable);
 * - recall@5: the gold paragraph among the first five cited documents (ask with limit 10).
 * - near miss (--near-miss): the first question of every paragraph of the part, asked over a pool
 *   where the sentence holding its answer is cut; right = abstained or "not stated".
 * - unanswerable (--unanswerable): every other article of the part is left out of the pool and the
 *   all its questions are asked; right = abstained or "not stated".
 * Tune on `tuning` only; report `reporting`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { splitUnits, type Part } from './lib/split.js';
import { analyzeQuestion } from '../src/answer/question.js';
import { splitSentences } from '../src/text/sentences.js';
import { plainAnswerText, shortAnswerF1, normalizeAnswer } from './answer-metrics.js';

const shared = process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const program = new Command()
  .option('--part <part>', 'tuning | reporting', 'tuning')
  .option('--json', 'print JSON only')
  .option('--near-miss', 'also run the near-miss pool')
  .option('--unanswerable', 'also run the held-out pool (off-topic questions)')
  .option('--only <runs>', 'en_de,de_de', 'en_de,de_de')
  .option('--limit <n>', 'at most n questions per run', '100000')
  .option('--dump <file>', 'write each question result as JSON lines')
  .parse();
const opts = program.opts<{ part: Part; json?: boolean; nearMiss?: boolean; unanswerable?: boolean; only: string; limit: string; dump?: string }>();

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string; answer_start: number }[] }[] }[] }[];
}
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(shared, 'xquad', f), 'utf8')) as Squad;
const de = read('xquad-dev.de.json');
const en = read('xquad-dev.en.json');
const parts = splitUnits(de.data.map((a) => a.title));

interface Item { id: string; question: string; key: string; answer: string; start: number; lang: 'en' | 'de' }
const paragraphs = new Map<string, string>();
const items: Item[] = [];
const enQuestion = new Map<string, string>();
for (const a of en.data) for (const p of a.paragraphs) for (const q of p.qas) enQuestion.set(q.id, q.question);
de.data.forEach((art, ai) =>
  art.paragraphs.forEach((p, pi) => {
    const key = `${art.title} ¶${pi + 1} (${ai}/${pi})`;
    paragraphs.set(key, p.context);
    if (parts.get(art.title) !== opts.part) return;
    for (const q of p.qas) {
      const ans = q.answers[0];
      if (!ans) continue;
      items.push({ id: q.id, question: q.question, key, answer: ans.text, start: ans.answer_start, lang: 'de' });
      const e = enQuestion.get(q.id);
      if (e) items.push({ id: q.id, question: e, key, answer: ans.text, start: ans.answer_start, lang: 'en' });
    }
  }),
);

async function openPool(texts: Map<string, string>): Promise<{ d: Dossier; keyOf: Map<string, string>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-answer-eval-'));
  fs.mkdirSync(path.join(dir, 'corpus'));
  const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
  const keyOf = new Map<string, string>();
  for (const [key, text] of texts) keyOf.set((await d.ingest({ text, title: key, source: `eval:${key}` })).document.id, key);
  return { d, keyOf, dir };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const dump = opts.dump ? fs.openSync(opts.dump, 'w') : null;

async function answerRun(lang: 'en' | 'de', d: Dossier, keyOf: Map<string, string>) {
  const list = items.filter((i) => i.lang === lang).slice(0, Number(opts.limit));
  const m = { n: list.length, a1: 0, q1: 0, em: 0, f1: 0, shorts: 0, shortF1: 0, refused: 0, top1: 0, refusedTop1: 0, r5: 0 };
  const byType = new Map<string, { n: number; a1: number; f1: number }>();
  for (const it of list) {
    const a = await d.ask(it.question, { limit: 10 });
    const docs: string[] = [];
    for (const c of a.citations) {
      const k = keyOf.get(c.document.id) ?? '?';
      if (!docs.includes(k)) docs.push(k);
    }
    const rank = docs.indexOf(it.key) + 1;
    const refused = a.abstained || a.notStated === true;
    const gold = normalizeAnswer(it.answer, false);
    const line = normalizeAnswer(plainAnswerText(a.answer), false);
    const a1 = !refused && line.includes(gold);
    const q1 = (a.citations[0] && normalizeAnswer(a.citations[0].quote, false).includes(gold)) || false;
    const f1 = a.short ? shortAnswerF1(a.short, it.answer) : { em: 0, f1: 0 };
    m.a1 += +a1;
    m.q1 += +q1;
    m.em += f1.em;
    m.f1 += f1.f1;
    if (a.short) {
      m.shorts++;
      m.shortF1 += f1.f1;
    }
    m.refused += +refused;
    if (rank >= 1 && rank <= 5) m.r5++;
    if (rank === 1) {
      m.top1++;
      m.refusedTop1 += +refused;
    }
    const type = analyzeQuestion(it.question).type;
    const t = byType.get(type) ?? { n: 0, a1: 0, f1: 0 };
    t.n++;
    t.a1 += +a1;
    t.f1 += f1.f1;
    byType.set(type, t);
    if (dump) fs.writeSync(dump, JSON.stringify({ lang, q: it.question, gold: it.answer, rank, a1, q1, short: a.short, f1: f1.f1, type, refused, answer: a.answer }) + '\n');
  }
  return {
    n: m.n,
    'answer@1': round(m.a1 / m.n),
    'quote@1': round(m.q1 / m.n),
    'short.em': round(m.em / m.n),
    'short.f1': round(m.f1 / m.n),
    'short.n': m.shorts,
    'short.f1|short': round(m.shortF1 / Math.max(1, m.shorts)),
    'refused': round(m.refused / m.n),
    'falseAbstention@top1': round(m.refusedTop1 / Math.max(1, m.top1)),
    'recall@5': round(m.r5 / m.n),
    byType: Object.fromEntries([...byType].map(([k, v]) => [k, { n: v.n, 'answer@1': round(v.a1 / v.n), 'short.f1': round(v.f1 / v.n) }])),
  };
}

const out: Record<string, unknown> = { part: opts.part };
const runs = new Set(opts.only.split(','));
{
  const { d, keyOf, dir } = await openPool(paragraphs);
  if (runs.has('en_de')) out.en_de = await answerRun('en', d, keyOf);
  if (runs.has('de_de')) out.de_de = await answerRun('de', d, keyOf);
  await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (opts.nearMiss) {
  // One question per paragraph of the part; its answer sentence is cut from the pool's copy.
  const cut = new Map(paragraphs);
  const asked: Item[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.key + it.lang)) continue;
    seen.add(it.key + it.lang);
    asked.push(it);
    const text = paragraphs.get(it.key)!;
    const s = splitSentences(text, 'de').find((x) => it.start >= x.start && it.start < x.end);
    const rest = s ? (text.slice(0, s.start) + text.slice(s.end)).replace(/\s+/g, ' ').trim() : text;
    if (rest) cut.set(it.key, rest);
    else cut.delete(it.key);
  }
  const { d, dir } = await openPool(cut);
  const nm: Record<string, { n: number; notStated: number; abstained: number; wrongShort: number }> = {};
  for (const it of asked) {
    const a = await d.ask(it.question);
    const r = (nm[it.lang] ??= { n: 0, notStated: 0, abstained: 0, wrongShort: 0 });
    r.n++;
    if (a.abstained) r.abstained++;
    else if (a.notStated) r.notStated++;
    else if (a.short) r.wrongShort++;
    if (dump) fs.writeSync(dump, JSON.stringify({ run: 'nearMiss', lang: it.lang, q: it.question, gold: it.answer, type: analyzeQuestion(it.question).type, refused: a.abstained || a.notStated === true, abstained: a.abstained, notStated: a.notStated === true, short: a.short, answer: a.answer }) + '\n');
  }
  out.nearMiss = Object.fromEntries(
    Object.entries(nm).map(([k, r]) => [k, { n: r.n, 'refused': round((r.notStated + r.abstained) / r.n), notStated: round(r.notStated / r.n), abstained: round(r.abstained / r.n), wrongShort: round(r.wrongShort / r.n) }]),
  );
  await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
if (opts.unanswerable) {
  // Every other article of the part is left out of the pool and all its questions are asked (the
  // rest of the corpus is on other topics): right = abstained or "not stated".
  const titles = [...new Set(items.map((i) => i.key.replace(/ ¶\d+ \(.*$/, '')))];
  const out_ = new Set(titles.filter((_, i) => i % 2 === 1));
  const pool = new Map([...paragraphs].filter(([k]) => !out_.has(k.replace(/ ¶\d+ \(.*$/, ''))));
  const { d, dir } = await openPool(pool);
  const un: Record<string, { n: number; refused: number }> = {};
  for (const it of items) {
    if (!out_.has(it.key.replace(/ ¶\d+ \(.*$/, ''))) continue;
    const a = await d.ask(it.question);
    const r = (un[it.lang] ??= { n: 0, refused: 0 });
    r.n++;
    if (a.abstained || a.notStated) r.refused++;
    if (dump) fs.writeSync(dump, JSON.stringify({ run: 'unanswerable', lang: it.lang, q: it.question, refused: a.abstained || a.notStated === true, short: a.short, answer: a.answer }) + '\n');
  }
  out.unanswerable = Object.fromEntries(Object.entries(un).map(([k, r]) => [k, { n: r.n, refused: round(r.refused / r.n) }]));
  await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out, null, opts.json ? 0 : 2) + '\n');
