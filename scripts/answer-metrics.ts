/**
 * Answer metrics for scripts/answer-eval.ts: SQuAD v1.1 answer normalisation (lower case, no
 * punctuation, no articles, single spaces; Rajpurkar et al. 2016, the official evaluate-v1.1.py)
 * extended with German articles, exact match and token F1.
 */

/** English and German articles removed by the normalisation. */
const ARTICLES = /\b(a|an|the|der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen)\b/g;

/** The answer line as a reader sees it: Markdown bold and backslash escapes removed. */
export function plainAnswerText(answer: string): string {
  return answer.replace(/\*\*/g, '').replace(/\\([*_~`|\\>#-])/g, '$1');
}

/**
 * SQuAD normalisation; with `dropArticles` false only case, punctuation and spaces are folded
 * (for "contains" checks, where removing articles could join unrelated words).
 */
export function normalizeAnswer(s: string, dropArticles = true): string {
  let t = s.toLowerCase().replace(/[\p{P}\p{S}]/gu, ' ');
  if (dropArticles) t = t.replace(ARTICLES, ' ');
  return t.replace(/\s+/g, ' ').trim();
}

/** Exact match (0/1) and token F1 of a predicted short answer against one gold answer. */
export function shortAnswerF1(pred: string, gold: string): { em: number; f1: number } {
  const p = normalizeAnswer(pred).split(' ').filter(Boolean);
  const g = normalizeAnswer(gold).split(' ').filter(Boolean);
  const em = p.join(' ') === g.join(' ') ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of g) counts.set(w, (counts.get(w) ?? 0) + 1);
  let same = 0;
  for (const w of p) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      same++;
      counts.set(w, c - 1);
    }
  }
  if (same === 0) return { em, f1: 0 };
  const precision = same / p.length;
  const recall = same / g.length;
  return { em, f1: (2 * precision * recall) / (precision + recall) };
}
