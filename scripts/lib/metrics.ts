/**
 * Answer metrics of the eval: SQuAD v1.1 normalisation, exact match and token F1, Markdown
 * stripping of answer lines, the short answer of an answer line, and the paragraph bootstrap.
 *
 * Source of EM/F1 and the normalisation: the official SQuAD v1.1 evaluation script
 * (`evaluate-v1.1.py`, Rajpurkar et al. 2016): lower-case, drop punctuation, drop the articles
 * "a", "an", "the", collapse whitespace; F1 over the multiset of whitespace tokens. The German
 * definite and indefinite articles are dropped too (as MLQA's evaluation does per language,
 * Lewis et al. 2020, `mlqa_evaluation_v1.py`).
 */

const ARTICLES = new Set([
  'a', 'an', 'the',
  'der', 'die', 'das', 'den', 'dem', 'des',
  'ein', 'eine', 'einen', 'einem', 'einer', 'eines',
]);

/** SQuAD v1.1 answer normalisation with English and German articles removed. */
export function normalizeAnswer(s: string): string {
  const lower = s.normalize('NFC').toLowerCase();
  const noPunct = lower.replace(/[\p{P}\p{S}]/gu, ' ');
  return noPunct
    .split(/\s+/)
    .filter((t) => t && !ARTICLES.has(t))
    .join(' ');
}

/** 1 when the normalised strings are equal, else 0 (SQuAD v1.1 exact match). */
export function exactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/** Token F1 in [0, 1] between prediction and gold after {@link normalizeAnswer} (SQuAD v1.1). */
export function tokenF1(prediction: string, gold: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const g = normalizeAnswer(gold).split(' ').filter(Boolean);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * The plain text of a Discord-Markdown answer line: bold/italic/underline/strike/code markers,
 * backslash escapes and citation marks `[n]` removed, whitespace collapsed.
 */
export function stripMarkdown(s: string): string {
  // Escaped characters are set aside (as private-use placeholders) while the markers are removed.
  const kept: string[] = [];
  return s
    .replace(/\\([\\`*_~|>#\-[\]()])/g, (_, c: string) => String.fromCharCode(0xe000 + kept.push(c) - 1))
    .replace(/\[\d+\]/g, ' ')
    .replace(/\*\*|__|~~|\|\||`+/g, '')
    .replace(/(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|$)/g, '$1')
    .replace(/[\ue000-\uf8ff]/g, (c) => kept[c.charCodeAt(0) - 0xe000] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first line of an answer text (the answer line; quotes and sources follow it). */
export function answerLine(answer: string): string {
  return answer.split('\n').find((l) => l.trim()) ?? '';
}

/**
 * The short answer of an answer: the `short` field when the product gives one, else the bold
 * span (`**…**`) the answer line starts with, else '' (no short answer; the caller decides).
 */
export function shortAnswerOf(a: { answer: string; short?: unknown }): string {
  if (typeof a.short === 'string') return a.short;
  const m = /^\s*\*\*(.+?)\*\*/.exec(answerLine(a.answer));
  return m ? stripMarkdown(m[1]) : '';
}

/** Loose containment used by answer@k and quote@k: case-folded, whitespace-collapsed, NFC. */
export function containsLoose(haystack: string, needle: string): boolean {
  const f = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const n = f(needle);
  return n.length > 0 && f(haystack).includes(n);
}

/** mulberry32 PRNG (Tommy Ettinger's public-domain 32-bit generator); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mean with its 95 % percentile bootstrap interval. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

/**
 * Means of per-question metrics with 95 % percentile bootstrap intervals, resampled by cluster
 * (the gold paragraph): questions of one paragraph are not independent, so whole paragraphs are
 * drawn with replacement (cluster bootstrap, Efron & Tibshirani 1993, ch. 8). Cost
 * O(resamples × clusters × metrics).
 * @param rows one row per question: its cluster key and metric values (NaN = not applicable,
 *   e.g. MRR of a question the metric does not cover; such values are left out of that mean)
 * @param resamples number of bootstrap resamples (default 1000)
 * @param seed PRNG seed, so reruns print the same interval
 */
export function bootstrap(
  rows: { cluster: string; values: Record<string, number> }[],
  metrics: string[],
  resamples = 1000,
  seed = 15,
): Record<string, Estimate> {
  const clusters = new Map<string, { sum: number[]; n: number[] }>();
  for (const r of rows) {
    let c = clusters.get(r.cluster);
    if (!c) clusters.set(r.cluster, (c = { sum: metrics.map(() => 0), n: metrics.map(() => 0) }));
    metrics.forEach((m, i) => {
      const v = r.values[m];
      if (v !== undefined && !Number.isNaN(v)) {
        c.sum[i] += v;
        c.n[i]++;
      }
    });
  }
  const list = [...clusters.values()];
  const mean = (i: number, pick: (j: number) => number, count: number) => {
    let s = 0;
    let n = 0;
    for (let j = 0; j < count; j++) {
      const c = list[pick(j)];
      s += c.sum[i];
      n += c.n[i];
    }
    return n ? s / n : NaN;
  };
  const out: Record<string, Estimate> = {};
  const rnd = mulberry32(seed);
  const draws: number[][] = [];
  for (let b = 0; b < resamples; b++) draws.push(list.map(() => Math.floor(rnd() * list.length)));
  metrics.forEach((m, i) => {
    const value = mean(i, (j) => j, list.length);
    const samples = draws.map((d) => mean(i, (j) => d[j], d.length)).filter((x) => !Number.isNaN(x));
    samples.sort((a, b) => a - b);
    const q = (p: number) => (samples.length ? samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] : NaN);
    out[m] = { value, lo: q(0.025), hi: q(0.975) };
  });
  return out;
}
