/**
 * Retrieval and answer evaluation on SQuAD-format data, through the same ingest and ask code the
 * bot uses (a fresh temporary store per pool).
 *
 *   nice -n 10 npm run -s eval -- [--json] [--part tuning|reporting|both] [--only RUNS] [--limit N]
 *     [--data DIR | --xquad-de F --xquad-en F --mlqa F --distractors F] [--sample] [--embeddings off|auto]
 *
 * Data: ../shared/data (or SHARED_DATA_DIR, or --data); without it a small built-in sample
 * (scripts/lib/sample.ts) and a note on where to get the public sets.
 *
 * Split: every question belongs to the **tuning** or the **reporting** part of the fixed split
 * of scripts/lib/split.ts (XQuAD by article, MLQA by context, 10kGNAD rows for the distractor
 * run). The retrieval pool is the whole paragraph set (both parts): only the questions are split.
 * Each figure is printed per part with its 95 % bootstrap interval, resampled by gold paragraph
 * (scripts/lib/metrics.ts); a difference inside the interval is noise, not a gain.
 *
 * Runs: xquad_en_de (English questions → German paragraphs), xquad_de_de, xquad_de_en (German
 * questions → English paragraphs), mlqa_de_de, xquad_en_de_distract (+ the 10kGNAD articles of the
 * same part as distractors), near_miss_en_de (see below).
 *
 * Metrics per question (means over the part's questions):
 * - `search.recall@k`, `search.mrr@10`: **search only** — the ranking of the answer's citations
 *   with abstention switched off (a second store handle with ABSTAIN_THRESHOLD=0); rank = rank of
 *   the gold paragraph among the distinct paragraphs cited, MRR counts ranks ≤ 10.
 * - `recall@k`, `mrr@10`: **after abstention** — the product as users see it: an abstained
 *   question has no citations and counts as a miss (rank ∞).
 * - `answer@1`: the gold answer text (case and whitespace folded) occurs in the answer line with
 *   Markdown and citation marks removed; abstained = 0.
 * - `quote@1`: the quote of the citation the answer line cites first is from the gold paragraph and
 *   contains the gold answer text.
 * - `answer@5`: one of the top-5 quotes is from the gold paragraph and contains the gold answer;
 *   `answer@5_any`: the old lenient figure, a quote from any paragraph containing it.
 * - `em`, `f1`: exact match / token F1 of the short answer against the gold answer (SQuAD v1.1
 *   normalisation plus German articles). The short answer is the product's `short` field when
 *   present, else the answer line's leading bold span, else the whole answer line; abstained = ''.
 * - `false_abstention`: share of these (all answerable) questions that abstained.
 * Per answer type (wh-word class of the question, scripts/lib/wh.ts): n, answer@1, f1, recall@5.
 *
 * Near-miss run (SQuAD 2.0 style): for the first question of every questioned XQuAD paragraph, the
 * sentence holding its German answer is cut from that paragraph before indexing (all such cuts in
 * one pool of the 240 paragraphs) and the English question is asked. `not_stated` = abstained (or
 * an answer line saying "not stated"); `wrong` = answered without the gold text in the answer line;
 * `right` = answered with it (the fact is stated elsewhere too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { Dossier } from '../src/core.js';
import type { Answer } from '../src/answer/types.js';
import { answerLine, bootstrap, containsLoose, exactMatch, shortAnswerOf, stripMarkdown, tokenF1, type Estimate } from './lib/metrics.js';
import { ANSWER_TYPES, answerType } from './lib/wh.js';
import { cutAnswerSentence } from './lib/near-miss.js';
import { loadEvalData, type EvalData, type Question } from './lib/data.js';
import type { Part } from './lib/split.js';

const RUNS = ['xquad_en_de', 'xquad_de_de', 'xquad_de_en', 'mlqa_de_de', 'xquad_en_de_distract', 'near_miss_en_de'] as const;
type RunName = (typeof RUNS)[number];

const program = new Command()
  .description('Retrieval and answer quality on XQuAD / MLQA / 10kGNAD (or the built-in sample), per split part with 95% bootstrap intervals.')
  .option('--json', 'print JSON only')
  .addOption(new Option('--part <part>', 'which part of the split to report').choices(['tuning', 'reporting', 'both']).default('both'))
  .option('--only <runs>', `comma-separated subset of: ${RUNS.join(', ')}`)
  .option('--limit <n>', 'at most n questions per run and part (quick runs)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--limit must be a positive integer, got ${v}`);
    return n;
  })
  .option('--data <dir>', 'folder holding xquad/, mlqa/, 10kgnad/ (default SHARED_DATA_DIR or ../shared/data)')
  .option('--xquad-de <file>', 'German XQuAD (SQuAD v1.1 JSON)')
  .option('--xquad-en <file>', 'English XQuAD, parallel to the German file')
  .option('--mlqa <file>', 'MLQA de-de records')
  .option('--distractors <file>', '10kGNAD csv (label;text)')
  .option('--sample', 'use the built-in sample even when the public data is present')
  .addOption(new Option('--embeddings <mode>', 'dense retrieval').choices(['off', 'auto']).default('off'))
  .option('--resamples <n>', 'bootstrap resamples', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError(`--resamples must be an integer in 1..100000, got ${v}`);
    return n;
  }, 1000)
  .parse();
const opts = program.opts<{
  json?: boolean;
  part: 'tuning' | 'reporting' | 'both';
  only?: string;
  limit?: number;
  data?: string;
  xquadDe?: string;
  xquadEn?: string;
  mlqa?: string;
  distractors?: string;
  sample?: boolean;
  embeddings: string;
  resamples: number;
}>();

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}

const NOT_STATED = /\b(not stated|do(es)? not (answer|say|state)|nicht (genannt|angegeben|beantwortet))\b/i;

interface Row {
  cluster: string;
  part: Part;
  type: string;
  values: Record<string, number>;
}

interface Pool {
  paragraphs: Map<string, string>;
  distractors: string[];
}

async function openPool(pool: Pool, threshold?: number): Promise<{ d: Dossier; keyOf: Map<string, string>; dir: string; reopen: () => Promise<Dossier> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-eval-'));
  const empty = path.join(dir, 'corpus');
  fs.mkdirSync(empty);
  const env = (extra: Record<string, string>) =>
    loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: empty, LOG_LEVEL: 'warn', EMBEDDINGS: opts.embeddings, ...extra });
  const base: Record<string, string> = threshold === undefined ? {} : { ABSTAIN_THRESHOLD: String(threshold) };
  const d = await Dossier.open(env(base));
  const keyOf = new Map<string, string>();
  for (const [key, text] of pool.paragraphs) {
    const r = await d.ingest({ text, title: key, source: `eval:${key}` });
    keyOf.set(r.document.id, key);
  }
  let i = 0;
  for (const text of pool.distractors) await d.ingest({ text, source: `distractor:${i++}` });
  return { d, keyOf, dir, reopen: () => Dossier.open(env({ ABSTAIN_THRESHOLD: '0' })) };
}

function rankOf(a: Answer, keyOf: Map<string, string>, gold: string): number {
  const ranked: string[] = [];
  for (const c of a.citations) {
    const key = keyOf.get(c.document.id) ?? `other:${c.document.id}`;
    if (!ranked.includes(key)) ranked.push(key);
  }
  return ranked.indexOf(gold) + 1;
}

function rankValues(prefix: string, rank: number): Record<string, number> {
  const hit = (k: number) => (rank >= 1 && rank <= k ? 1 : 0);
  return {
    [`${prefix}recall@1`]: hit(1),
    [`${prefix}recall@5`]: hit(5),
    [`${prefix}recall@10`]: hit(10),
    [`${prefix}mrr@10`]: rank >= 1 && rank <= 10 ? 1 / rank : 0,
  };
}

/** The citation the answer line cites first (its first `[n]`), else citation 1. */
function citedFirst(a: Answer) {
  const m = /\[(\d+)\]/.exec(answerLine(a.answer));
  const n = m ? Number(m[1]) : 1;
  return a.citations.find((c) => c.n === n) ?? a.citations[0];
}

async function answerRun(pool: Pool, items: Question[]): Promise<Row[]> {
  const { d, keyOf, dir, reopen } = await openPool(pool);
  const rows: Row[] = [];
  try {
    for (const it of items) {
      const a = await d.ask(it.question, { limit: 10 });
      const line = stripMarkdown(answerLine(a.answer));
      const fromGold = (c: Answer['citations'][number]) => keyOf.get(c.document.id) === it.gold;
      const first = a.abstained ? undefined : citedFirst(a);
      const short = a.abstained ? '' : shortAnswerOf(a as Answer & { short?: unknown }) || line;
      rows.push({
        cluster: it.gold,
        part: it.part,
        type: answerType(it.question),
        values: {
          ...rankValues('', rankOf(a, keyOf, it.gold)),
          'answer@1': !a.abstained && containsLoose(line, it.answer) ? 1 : 0,
          'quote@1': first && fromGold(first) && containsLoose(first.quote, it.answer) ? 1 : 0,
          'answer@5': a.citations.slice(0, 5).some((c) => fromGold(c) && containsLoose(c.quote, it.answer)) ? 1 : 0,
          'answer@5_any': a.citations.slice(0, 5).some((c) => containsLoose(c.quote, it.answer)) ? 1 : 0,
          em: a.abstained ? 0 : exactMatch(short, it.answer),
          f1: a.abstained ? 0 : tokenF1(short, it.answer),
          false_abstention: a.abstained ? 1 : 0,
        },
      });
    }
    await d.close();
    const open = await reopen();
    try {
      for (const [i, it] of items.entries()) Object.assign(rows[i].values, rankValues('search.', rankOf(await open.ask(it.question, { limit: 10 }), keyOf, it.gold)));
    } finally {
      await open.close();
    }
  } finally {
    await d.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function nearMissRun(data: EvalData, items: Question[]): Promise<Row[]> {
  const paragraphs = new Map(data.xquad!.de);
  const asked: Question[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.gold) || it.answerStart === undefined) continue;
    const cut = cutAnswerSentence(paragraphs.get(it.gold) ?? '', it.answer, it.answerStart);
    if (!cut || containsLoose(cut, it.answer)) continue;
    if (opts.limit && asked.filter((q) => q.part === it.part).length >= opts.limit) continue;
    seen.add(it.gold);
    paragraphs.set(it.gold, cut);
    asked.push(it);
  }
  const { d, dir } = await openPool({ paragraphs, distractors: [] });
  const rows: Row[] = [];
  try {
    for (const it of asked) {
      const a = await d.ask(it.question, { limit: 10 });
      const line = stripMarkdown(answerLine(a.answer));
      const notStated = a.abstained || NOT_STATED.test(line);
      const right = !notStated && containsLoose(line, it.answer);
      rows.push({
        cluster: it.gold,
        part: it.part,
        type: answerType(it.question),
        values: { not_stated: notStated ? 1 : 0, wrong: !notStated && !right ? 1 : 0, right: right ? 1 : 0 },
      });
    }
  } finally {
    await d.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const ANSWER_METRICS = [
  'search.recall@1', 'search.recall@5', 'search.recall@10', 'search.mrr@10',
  'recall@1', 'recall@5', 'recall@10', 'mrr@10',
  'answer@1', 'quote@1', 'answer@5', 'answer@5_any', 'em', 'f1', 'false_abstention',
];
const NEAR_MISS_METRICS = ['not_stated', 'wrong', 'right'];

interface PartReport {
  n: number;
  paragraphs: number;
  metrics: Record<string, Estimate>;
  by_type?: Record<string, { n: number; 'answer@1': number; f1: number; 'recall@5': number }>;
}

function summarise(rows: Row[], metrics: string[], perType: boolean): PartReport {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const est = bootstrap(rows, metrics, opts.resamples);
  for (const e of Object.values(est)) {
    e.value = r3(e.value);
    e.lo = r3(e.lo);
    e.hi = r3(e.hi);
  }
  const out: PartReport = { n: rows.length, paragraphs: new Set(rows.map((r) => r.cluster)).size, metrics: est };
  if (perType) {
    out.by_type = {};
    for (const t of ANSWER_TYPES) {
      const of = rows.filter((r) => r.type === t);
      if (!of.length) continue;
      const mean = (m: string) => r3(of.reduce((s, r) => s + r.values[m], 0) / of.length);
      out.by_type[t] = { n: of.length, 'answer@1': mean('answer@1'), f1: mean('f1'), 'recall@5': mean('recall@5') };
    }
  }
  return out;
}

// ---- main ----
setLogLevel('warn');
const only = opts.only ? new Set(opts.only.split(',').map((s) => s.trim()).filter(Boolean)) : null;
const unknown = only ? [...only].filter((n) => !(RUNS as readonly string[]).includes(n)) : [];
if (unknown.length) fail(`unknown run(s) ${unknown.join(', ')}; choose from ${RUNS.join(', ')}`);
const want = (name: RunName) => !only || only.has(name);
const parts: Part[] = opts.part === 'both' ? ['tuning', 'reporting'] : [opts.part];

let data: EvalData;
try {
  data = loadEvalData({
    dir: opts.data,
    xquadDe: opts.xquadDe,
    xquadEn: opts.xquadEn,
    mlqa: opts.mlqa,
    distractors: opts.distractors,
    sample: opts.sample,
    need: {
      xquad: want('xquad_en_de') || want('xquad_de_de') || want('xquad_de_en') || want('xquad_en_de_distract') || want('near_miss_en_de'),
      mlqa: want('mlqa_de_de'),
      distractors: want('xquad_en_de_distract'),
    },
  });
} catch (err) {
  fail((err as Error).message);
}
if (data.note) process.stderr.write(`eval: ${data.note}\n`);

/** The questions of the chosen parts, at most --limit per part, in data order. */
function pick(items: Question[]): Question[] {
  const out: Question[] = [];
  for (const p of parts) {
    const of = items.filter((q) => q.part === p);
    out.push(...(opts.limit ? of.slice(0, opts.limit) : of));
  }
  return out;
}

const report: Record<string, Partial<Record<Part, PartReport>> & { note?: string }> = {};
const record = (name: string, rows: Row[], metrics: string[], perType: boolean) => {
  report[name] = {};
  for (const p of parts) report[name][p] = summarise(rows.filter((r) => r.part === p), metrics, perType);
};
const t0 = performance.now();
const x = data.xquad;
if (x && want('xquad_en_de')) record('xquad_en_de', await answerRun({ paragraphs: x.de, distractors: [] }, pick(x.enQuestions)), ANSWER_METRICS, true);
if (x && want('xquad_de_de')) record('xquad_de_de', await answerRun({ paragraphs: x.de, distractors: [] }, pick(x.deQuestions)), ANSWER_METRICS, true);
if (x && want('xquad_de_en')) record('xquad_de_en', await answerRun({ paragraphs: x.en, distractors: [] }, pick(x.deQuestionsOverEn)), ANSWER_METRICS, true);
if (data.mlqa && want('mlqa_de_de')) record('mlqa_de_de', await answerRun({ paragraphs: data.mlqa.paragraphs, distractors: [] }, pick(data.mlqa.questions)), ANSWER_METRICS, true);
if (x && data.distractors && want('xquad_en_de_distract')) {
  const rows: Row[] = [];
  // Each part is asked over the distractors of its own part of the split.
  for (const p of parts) {
    const items = pick(x.enQuestions).filter((q) => q.part === p);
    rows.push(...(await answerRun({ paragraphs: x.de, distractors: data.distractors.filter((dd) => dd.part === p).map((dd) => dd.text) }, items)));
  }
  record('xquad_en_de_distract', rows, ANSWER_METRICS, true);
}
if (x && want('near_miss_en_de')) record('near_miss_en_de', await nearMissRun(data, x.enQuestions.filter((q) => parts.includes(q.part))), NEAR_MISS_METRICS, false);
const seconds = Math.round((performance.now() - t0) / 100) / 10;

const meta = { data: data.source, parts, limit: opts.limit ?? null, embeddings: opts.embeddings, resamples: opts.resamples, seconds };
if (opts.json) {
  process.stdout.write(`${JSON.stringify({ meta, runs: report })}\n`);
} else {
  const f = (e: Estimate) => `${e.value.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
  const lines: string[] = [`data: ${data.source}; parts: ${parts.join(', ')}; ${seconds} s; 95% bootstrap intervals by paragraph`];
  for (const [name, byPart] of Object.entries(report)) {
    for (const p of parts) {
      const r = byPart[p];
      if (!r) continue;
      lines.push('', `${name} · ${p} (n=${r.n}, ${r.paragraphs} paragraphs)`);
      for (const [m, e] of Object.entries(r.metrics)) lines.push(`  ${m.padEnd(18)} ${f(e)}`);
      if (r.by_type) {
        lines.push('  by answer type      n   answer@1  f1     recall@5');
        for (const [t, v] of Object.entries(r.by_type))
          lines.push(`    ${t.padEnd(16)} ${String(v.n).padStart(4)}  ${v['answer@1'].toFixed(3)}   ${v.f1.toFixed(3)}  ${v['recall@5'].toFixed(3)}`);
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
