/**
 * Rules that narrow the short-answer candidates of one sentence before the span scorer
 * (span.ts) ranks them, for sentences that hold several figures or dates of the asked kind:
 *
 * - a count question ("Wie viele Menschen beschäftigt …", "How many homes …") prefers the number
 *   phrase that carries a matched question noun ("rund 1.200 Menschen" over "350 neue Mitarbeiter");
 * - a figure followed by "mehr/weniger als", "more/less than" is a difference, not the amount
 *   ("kostete 64 Millionen Euro, acht Millionen mehr als geplant" → the first);
 * - a date question with an ordinal ("das letzte Schiff", "the first ship") prefers the date whose
 *   nearest ordinal before it is the question's ("das erste … 2027, das letzte … 2031").
 *
 * Each rule only narrows: when no candidate passes it, the pool is left as it was. Set by hand on
 * the fresh-trial documents (tests/fixtures/fresh), checked level on the tuning part.
 */
import type { Token } from '../text/tokenize.js';
import type { QuestionAnalysis } from './question.js';

/** What the rules need of a candidate: kind and inclusive token range. */
export interface FigureSpan {
  kind: string;
  from: number;
  to: number;
}

const FIRST = /^(erste[rsnm]?|first|früheste[rsnm]?|earliest)$/;
const LAST = /^(letzte[rsnm]?|last|final|späteste[rsnm]?|latest)$/;
const DIFFERENCE = /^(mehr|weniger|more|less|fewer)$/;

/** Which ordinal ('first' | 'last') a token is, or null. */
function ordinal(norm: string): 'first' | 'last' | null {
  return FIRST.test(norm) ? 'first' : LAST.test(norm) ? 'last' : null;
}

/**
 * The candidate indices of `pool` that pass the rules above (the pool itself when none does).
 * @param tokens the sentence tokens the candidates index; `matched` per token: matched a question group.
 * @returns a subset of `pool`, in its order; linear in pool size × sentence length.
 */
export function narrowFigures(qa: QuestionAnalysis, cands: FigureSpan[], pool: number[], tokens: Token[], matched: boolean[]): number[] {
  let out = pool;
  const keep = (test: (c: FigureSpan) => boolean) => {
    const next = out.filter((i) => test(cands[i]));
    if (next.length > 0 && next.length < out.length) out = next;
  };
  if (qa.type === 'number') {
    keep((c) => !(c.kind === 'number' && DIFFERENCE.test(tokens[c.to + 1]?.norm ?? '') && /^(als|than)$/.test(tokens[c.to + 2]?.norm ?? '')) && !(c.kind === 'number' && DIFFERENCE.test(tokens[c.to]?.norm ?? '')));
    if (qa.unit === 'count') {
      keep((c) => {
        if (c.kind !== 'number') return false;
        for (let k = c.from; k <= c.to; k++) if (matched[k] && !/^\d/.test(tokens[k].norm)) return true;
        return false;
      });
    }
  }
  if (qa.type === 'date') {
    let asked: 'first' | 'last' | null = null;
    for (const t of qa.questionTerms) asked ??= ordinal(t);
    if (asked) {
      keep((c) => {
        if (c.kind !== 'date') return false;
        for (let k = c.from - 1; k >= 0; k--) {
          const o = ordinal(tokens[k].norm);
          if (o) return o === asked;
        }
        return false;
      });
    }
  }
  return out;
}
