/**
 * Train the short-answer span scorer (src/answer/span.ts) on the TUNING part of the XQuAD dev
 * split (scripts/lib/split.ts, by article) and write its weights to src/answer/span-weights.json.
 *
 *   SHARED_DATA_DIR=/work/shared/data nice -n 10 npx tsx scripts/train-span.ts [--cache /tmp/spans.json] [--recompute] [--dump-cv F] [--dry] [--folds 5]
 *
 * `--cache` keeps the collected groups (with the sentence as the scorer saw it); `--recompute`
 * rebuilds their candidates and features with the current span.ts without asking again (the
 * answer sentence does not depend on the span scorer), so candidate and feature changes are
 * measured in seconds; `--dump-cv` writes each group's cross-validated pick as JSON lines (for a
 * paired comparison of two runs; its `f1` is the mean over `--repeats` fold assignments, `pick`
 * the first assignment's).
 *
 * Pool: all 240 German XQuAD paragraphs (as scripts/answer-eval.ts). Each tuning question, English
 * and German, is asked through `Dossier.ask` (limit 10, EMBEDDINGS=off, span model disabled while
 * collecting); the candidate spans of the sentence the answer uses are one group, each candidate
 * labelled by its token F1 against the gold answer (SQuAD v1.1 normalisation plus German
 * articles). The model is a listwise (softmax over the group) linear scorer with L2 penalty fitted
 * by gradient descent on the groups whose best candidate has F1 > 0 (the target is the
 * distribution ∝ exp(F1 / 0.1) over the group). Printed: mean F1 of the chosen candidate over all
 * collected groups, hand-set rule vs learned (fit on all, and k-fold cross-validation over the
 * tuning part's articles), by answer type. The reporting part is never read here.
 *
 * Measured (2026-12-02, this command, --l2 0.03, 5 folds): 764 answered tuning questions (EN and
 * DE) whose answer sentence yields candidates; mean short-answer F1 of the chosen span: hand-set
 * 0.297, learned 0.332 by cross-validation (0.353 fit), best candidate of the sentence 0.589.
 * Untyped questions: 0.187 hand → 0.255 CV. A model for typed questions was tried too: number
 * questions 0.431 hand → 0.407 CV, names and dates no better, so typed questions keep the hand
 * rule and only the untyped model is committed (span-weights.json). Shortened number candidates
 * (the bare figure without unit or counted noun) raised number F1 to 0.55 CV but drop the unit the
 * reader needs, so they are not offered.
 *
 * Modifier candidates (span.ts modifierSpans; features `modifier`, `modifierKindQ`), measured
 * 2026-12-02 on branch span2 with this command: untyped questions 0.274 → 0.288 by CV, paired
 * difference over the 374 untyped groups present in both runs +0.014, article-bootstrap 95 %
 * interval [+0.003, +0.026]; best candidate of the sentence 0.564 → 0.586; all groups CV
 * 0.356 → 0.363. The weights in span-weights.json are this fit (--l2 0.03, 769 groups).
 *
 * `learnedAllCv` is the same cross-validation with the learned scorer deciding typed questions too
 * (its own model, among the candidates of the type): the "second opinion" for typed questions.
 * Measured 2026-12-02 (branch span2, this command --dry, 767 groups): all 0.356 as deployed vs
 * 0.342 with typed questions learned; number 0.423 → 0.394, person 0.389 → 0.363, organisation
 * 0.389 → 0.306, date 0.650 → 0.631, place 0.265 → 0.265, so typed questions keep the hand rule.
 * Also tried offline on the --cache groups (same 5 folds by article, article-bootstrap 95 % interval
 * of the paired difference over the 375 untyped groups, base 0.267), none kept: 13 context
 * features from classic extractive QA (the preposition before the wh-word echoed before the span,
 * an agent "von/by/durch", a copula or apposition before it, question bigrams around it, the
 * Richardson et al. 2013 sliding-window share of matched words, the distance to the centroid of the
 * matched words, agreement of the word order with the question's around the wh-word, span in
 * parentheses): 0.263, difference −0.004 [−0.021, +0.010]; singly none outside its interval (best:
 * word order 0.274, [−0.006, +0.022]); minimum-Bayes-risk choice (expected F1 under the softmax,
 * temperature 0.5–4) instead of the argmax: 0.267 at best, worse at higher temperature; L2 0.01–0.3
 * moves CV by less than 0.01.
 *
 * Extra candidates (span-extend.ts: coordinations, attached prepositional phrases, reason clauses
 * for why questions, question words cut from the edges) and context features (span-context.ts:
 * copula, naming verb, apposition, brackets, echoed question words, proximity to the matched German
 * verb; question-word length priors), measured 2026-12-02 on branch short-other with this command
 * --recompute over the same cached groups (759, 373 untyped), 5-fold CV repeated over 5 fold
 * assignments (--repeats 5), article-bootstrap 95 % interval of the paired difference over the
 * untyped groups: untyped 0.285 (as deployed before: old features, L2 0.03) → 0.307, +0.022
 * [+0.001, +0.041]; against the old features at the same L2 0.005: 0.289 → 0.307, +0.018
 * [−0.000, +0.037] (the edge of the noise). Best candidate of the sentence 0.590 → 0.612.
 * L2 0.005 was chosen on these CV runs (single 5-fold: 0.03 → 0.298, 0.01 → 0.305, 0.005 → 0.306).
 * Candidates whose only own words are function words or hedges ("etwa 505 Millionen" for "vor 505
 * Millionen Jahren", span.ts `filler`) are no longer offered: −0.002 [−0.008, +0.003], neutral,
 * kept because the answer must not repeat the question. Tried and not kept (same protocol, each
 * inside the noise or worse): a name right after a matched noun, "mit dem Namen X" as a naming
 * cue, the adjective next to the noun alone as a further modifier candidate (together −0.003);
 * 32 crossings of four question-word classes (which/what/how/name) with length, side, proximity
 * and copula: 0.292, −0.012 [−0.022, −0.003] against the kept set (over-fit); 2000 epochs instead
 * of 600: no change. The weights in span-weights.json are the fit with the filler rule (--l2
 * 0.005, all 759 groups of the tuning part; CV 0.304 with 5 repeats).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { readXquadPair } from './lib/data.js';
import { shortAnswerF1 } from './answer-metrics.js';
import { analyzeQuestion } from '../src/answer/question.js';
import { SPAN_FEATURES, SPAN_TRACE, restoreInput, scoredCandidates, setSpanModels, spanModels, spanScore, type SpanModel, type SpanTrace } from '../src/answer/span.js';

const program = new Command()
  .option('--cache <file>', 'read/write the collected groups here (skips asking when present)')
  .option('--dry', 'do not write the weights')
  .option('--folds <k>', 'cross-validation folds over articles', '5')
  .option('--repeats <r>', 'repeat the cross-validation with r different fold assignments and average', '1')
  .option('--l2 <x>', 'L2 penalty', '0.005')
  .option('--dump-cv <file>', 'write each group (question, gold, cross-validated pick and its F1, best candidate) as JSON lines')
  .option('--recompute', 'rebuild the candidates and features of the cached groups with the current span.ts (no asking)')
  .parse();
const opts = program.opts<{ cache?: string; dumpCv?: string; dry?: boolean; folds: string; repeats: string; l2: string; recompute?: boolean }>();
const shared = process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');

interface Group { article: string; gold: string; type: string; trace: SpanTrace; f1: number[]; hand: number; handText?: string | null }

async function collect(): Promise<Group[]> {
  const { de, parts, enQuestion: enQ } = readXquadPair(shared);
  const saved = spanModels();
  setSpanModels({ other: null });
  const out: Group[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-train-span-'));
  fs.mkdirSync(path.join(dir, 'corpus'));
  const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
  try {
    const asked: { article: string; gold: string; question: string }[] = [];
    for (const [ai, art] of de.data.entries())
      for (const [pi, p] of art.paragraphs.entries()) {
        if (parts.get(art.title) === 'tuning')
          for (const q of p.qas) {
            const gold = q.answers[0];
            if (!gold) continue;
            for (const question of [q.question, enQ.get(q.id)]) if (question) asked.push({ article: art.title, gold: gold.text, question });
          }
        await d.ingest({ text: p.context, title: `${art.title} ¶${pi + 1} (${ai}/${pi})`, source: `eval:${ai}/${pi}` });
      }
    for (const a of asked) {
      let trace: SpanTrace | null = null;
      SPAN_TRACE.on = (t) => (trace = t);
      const answer = await d.ask(a.question, { limit: 10 });
      SPAN_TRACE.on = null;
      const t = trace as SpanTrace | null;
      if (!t || answer.abstained || answer.notStated) continue;
      const f1 = t.texts.map((x) => shortAnswerF1(x, a.gold).f1);
      // The hand-set rule's pick (what extract.ts shows without a model).
      const hand = answer.short ? t.texts.indexOf(answer.short) : -1;
      out.push({ article: a.article, gold: a.gold, type: analyzeQuestion(a.question).type, trace: t, f1, hand, handText: answer.short ?? null });
    }
  } finally {
    SPAN_TRACE.on = null;
    setSpanModels(saved);
    await d.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The candidate indices a model may choose from (typed questions: those of the type, when any). */
function pool(g: Group): number[] {
  const idx = g.trace.texts.map((_, i) => i);
  if (g.trace.typed && g.trace.fits.some((f) => f > 0)) return idx.filter((i) => g.trace.fits[i] > 0);
  return idx;
}

function fit(groups: Group[], l2: number, epochs = 600, rate = 0.5): SpanModel {
  const d = SPAN_FEATURES.length;
  const w = new Array<number>(d).fill(0);
  const train = groups.filter((g) => Math.max(0, ...pool(g).map((i) => g.f1[i])) > 0);
  for (let e = 0; e < epochs; e++) {
    const grad = new Array<number>(d).fill(0);
    for (const g of train) {
      const ids = pool(g);
      const z = ids.map((i) => spanScore({ features: SPAN_FEATURES, weights: w }, g.trace.features[i]));
      const mz = Math.max(...z);
      const ez = z.map((x) => Math.exp(x - mz));
      const sz = ez.reduce((a, b) => a + b, 0);
      const tz = ids.map((i) => Math.exp(g.f1[i] / 0.1));
      const st = tz.reduce((a, b) => a + b, 0);
      ids.forEach((i, k) => {
        const diff = ez[k] / sz - tz[k] / st;
        const x = g.trace.features[i];
        for (let j = 0; j < d; j++) grad[j] += diff * x[j];
      });
    }
    for (let j = 0; j < d; j++) w[j] -= rate * (grad[j] / Math.max(1, train.length) + (j === 0 ? 0 : l2 * w[j]));
  }
  return { features: SPAN_FEATURES, weights: w.map((x) => Math.round(x * 1e4) / 1e4) };
}

const choose = (m: SpanModel, g: Group) => pool(g).reduce((b, i) => (spanScore(m, g.trace.features[i]) > spanScore(m, g.trace.features[b]) ? i : b), pool(g)[0]);
const meanF1 = (list: Group[], pick: (g: Group) => number) => list.reduce((s, g) => s + (pick(g) >= 0 ? g.f1[pick(g)] : 0), 0) / Math.max(1, list.length);

/**
 * The cached groups with candidates and features rebuilt from the recorded sentence by the current
 * span.ts (the sentence choice does not depend on the span scorer, so it need not be asked again).
 */
function recompute(list: Group[]): Group[] {
  return list.flatMap((g) => {
    if (!g.trace.input) return [g];
    const input = restoreInput(g.trace.input);
    const { cands, feats } = scoredCandidates(input);
    if (cands.length === 0) return [];
    const texts = cands.map((c) => input.text.slice(c.start, c.end));
    const trace: SpanTrace = { ...g.trace, texts, features: feats, fits: cands.map((c) => c.fit) };
    return [{ ...g, trace, f1: texts.map((x) => shortAnswerF1(x, g.gold).f1), hand: g.handText ? texts.indexOf(g.handText) : -1 }];
  });
}

const cached: Group[] = opts.cache && fs.existsSync(opts.cache) ? JSON.parse(fs.readFileSync(opts.cache, 'utf8')) : await collect();
if (opts.cache && !fs.existsSync(opts.cache)) fs.writeFileSync(opts.cache, JSON.stringify(cached));
const groups = opts.recompute ? recompute(cached) : cached;
const l2 = Number(opts.l2);
// One model for typed questions, one for untyped ones (their answers are different kinds of span).
const side = (g: Group) => (g.trace.typed ? 'typed' : 'other');
const fitBoth = (list: Group[]) => ({ typed: fit(list.filter((g) => side(g) === 'typed'), l2), other: fit(list.filter((g) => side(g) === 'other'), l2) });
const models = fitBoth(groups);
/** As deployed (span.ts): the learned scorer for untyped questions, the hand-set rule for typed ones. */
const learnedFor = (g: Group) => g.type === 'other';
const chooseBoth = (m: ReturnType<typeof fitBoth>, g: Group) => (learnedFor(g) ? choose(m[side(g)], g) : g.hand);
const k = Number(opts.folds);
const articles = [...new Set(groups.map((g) => g.article))].sort();
const cvPick = new Map<Group, number>();
/** The same folds with the learned scorer for typed questions too (its own model, candidates of the type). */
const cvPickAll = new Map<Group, number>();
/** Sum over repeats of the F1 of the cross-validated pick (deployed, and typed learned too). */
const cvSum = new Map<Group, number>();
const cvSumAll = new Map<Group, number>();
const repeats = Math.max(1, Number(opts.repeats));
/** Articles in a seeded random order (repeat 0: sorted), so that each repeat has other folds. */
const order = (r: number) => {
  const list = [...articles];
  let seed = r * 2654435761;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  if (r > 0) for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
};
for (let r = 0; r < repeats; r++) {
  const arts = order(r);
  for (let f = 0; f < k; f++) {
    const test = new Set(arts.filter((_, i) => i % k === f));
    const m = fitBoth(groups.filter((g) => !test.has(g.article)));
    for (const g of groups) if (test.has(g.article)) {
      const a = chooseBoth(m, g);
      const b = choose(m[side(g)], g);
      if (r === 0) {
        cvPick.set(g, a);
        cvPickAll.set(g, b);
      }
      cvSum.set(g, (cvSum.get(g) ?? 0) + (a >= 0 ? g.f1[a] : 0));
      cvSumAll.set(g, (cvSumAll.get(g) ?? 0) + (b >= 0 ? g.f1[b] : 0));
    }
  }
}
const meanOf = (list: Group[], sum: Map<Group, number>) => list.reduce((x, g) => x + (sum.get(g) ?? 0) / repeats, 0) / Math.max(1, list.length);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const types = [...new Set(groups.map((g) => g.type))];
const report = (list: Group[]) => ({
  n: list.length,
  hand: r3(meanF1(list, (g) => g.hand)),
  learnedFit: r3(meanF1(list, (g) => chooseBoth(models, g))),
  learnedCv: r3(meanOf(list, cvSum)),
  learnedAllCv: r3(meanOf(list, cvSumAll)),
  oracle: r3(meanF1(list, (g) => g.f1.indexOf(Math.max(...g.f1)))),
});
const langOf = (g: Group) => analyzeQuestion(g.trace.question).language;
console.log(JSON.stringify({ all: report(groups), en: report(groups.filter((g) => langOf(g) === 'en')), de: report(groups.filter((g) => langOf(g) === 'de')), byType: Object.fromEntries(types.map((t) => [t, report(groups.filter((g) => g.type === t))])) }, null, 1));
if (opts.dumpCv) {
  const lines = groups.map((g) => {
    const pick = cvPick.get(g) ?? -1;
    const best = g.f1.indexOf(Math.max(...g.f1));
    return JSON.stringify({ article: g.article, q: g.trace.question, type: g.type, gold: g.gold, pick: g.trace.texts[pick] ?? null, f1: (cvSum.get(g) ?? 0) / repeats, best: g.trace.texts[best], bestF1: g.f1[best] });
  });
  fs.writeFileSync(opts.dumpCv, lines.join('\n') + '\n');
}
for (const m of [models.typed, models.other]) console.log(JSON.stringify(Object.fromEntries(m.features.map((f, i) => [f, m.weights[i]]))));
if (!opts.dry) {
  const file = path.join(import.meta.dirname, '..', 'src', 'answer', 'span-weights.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify({ features: SPAN_FEATURES, other: models.other.weights }) + '\n');
  fs.renameSync(file + '.tmp', file);
}
