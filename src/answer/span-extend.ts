/**
 * Further candidate spans for untyped questions (span.ts), built from the noun-phrase and typed
 * candidates of a sentence:
 * - coordinations of two candidates ("privater Beichte und Absolution", "Robert Lane und Benjamin Vail");
 * - a noun phrase with the prepositional phrase attached to it ("Kolonialverfassung aus dem Jahre
 *   1855", "Museum für Design und Kunsthandwerk");
 * - for why/what-for questions, the reason or purpose clause ("weil …", "da …", "um … zu …",
 *   "because …") up to the next clause break;
 * - a candidate with the question's own words cut from its edges ("derzeit Denvers Executive
 *   Vice President" → "Denvers Executive Vice President" when "derzeit" was asked): SQuAD
 *   answers do not repeat the question.
 * Each is flagged so the learned scorer weighs it on its own (scripts/train-span.ts, tuning part).
 * Linear in the number of candidates times a bounded look-ahead.
 */
import { isStopword } from '../text/stem.js';
import type { Token } from '../text/tokenize.js';

/** A token range with a flag saying how it was built. */
export interface ExtraSpan {
  from: number;
  to: number;
  how: 'coordination' | 'attachment' | 'clause' | 'trimmed';
}

/** Hedges in front of a figure ("etwa 505 Millionen"): not the start of a trimmed span. */
const HEDGE = /^(etwa|rund|circa|ca|über|fast|knapp|mehr|weniger|about|around|over|nearly|almost|some)$/;
const AND = /^(und|oder|sowie|and|or)$/;
const ATTACH = /^(aus|für|von|vom|mit|in|im|zur|zum|auf|über|of|for|from|with|in|on|about)$/;
const ARTICLE = /^(der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen|the|a|an|seine|seiner|seinem|ihre|ihrer|ihrem|his|her|their|its)$/;
/** Words opening a reason or purpose clause. */
const REASON = /^(weil|da|um|damit|denn|because|since|so|to|due|wegen|aufgrund|durch)$/;
/** Question words asking for a reason or purpose. */
export const WHY_QUESTION = /^(why|warum|weshalb|wieso|wozu|weswegen)$/;
const BREAK = /[,;:()!?]|\.\s|\.$/;
/** Longest clause candidate (tokens). */
const MAX_CLAUSE = 14;

/** Inputs of {@link extraSpans}. */
export interface ExtendInput {
  text: string;
  tokens: Token[];
  matched: boolean[];
  questionTerms: Set<string>;
  /** True for why/wozu questions (reason clauses are offered). */
  why: boolean;
  /** True for German text (nouns are capitalised). */
  german: boolean;
}

/**
 * The extra candidate ranges (see module doc), built from `base` (inclusive token ranges of the
 * sentence's candidates); ranges may repeat a base range (the caller drops duplicates).
 */
export function extraSpans(input: ExtendInput, base: { from: number; to: number }[]): ExtraSpan[] {
  const { text, tokens, matched, questionTerms } = input;
  const n = tokens.length;
  const gap = (a: number, b: number) => text.slice(tokens[a].end, tokens[b].start);
  const tight = (a: number, b: number) => /^\s*$/.test(gap(a, b));
  const startsAt = new Map<number, { from: number; to: number }[]>();
  for (const c of base) startsAt.set(c.from, [...(startsAt.get(c.from) ?? []), c]);
  const longest = (k: number) => (startsAt.get(k) ?? []).reduce<{ from: number; to: number } | null>((b, c) => (!b || c.to > b.to ? c : b), null);
  const out: ExtraSpan[] = [];
  for (const c of base) {
    const j = c.to + 1;
    if (j + 1 >= n) continue;
    if (AND.test(tokens[j].norm) && tight(c.to, j) && tight(j, j + 1)) {
      const next = longest(j + 1);
      if (next && next.to - c.from < 12) out.push({ from: c.from, to: next.to, how: 'coordination' });
    }
    if (ATTACH.test(tokens[j].norm) && tight(c.to, j) && tight(j, j + 1)) {
      const k = ARTICLE.test(tokens[j + 1].norm) && j + 2 < n && tight(j + 1, j + 2) ? j + 2 : j + 1;
      const next = longest(k);
      if (next && next.to - c.from < 10) {
        out.push({ from: c.from, to: next.to, how: 'attachment' });
        // "Museum für Design und Kunsthandwerk": the attached phrase may itself be a coordination.
        const a = next.to + 1;
        if (a + 1 < n && AND.test(tokens[a].norm) && tight(next.to, a) && tight(a, a + 1)) {
          const more = longest(a + 1);
          if (more && more.to - c.from < 12) out.push({ from: c.from, to: more.to, how: 'attachment' });
        }
      }
    }
  }
  if (input.why) {
    for (let i = 0; i < n; i++) {
      if (!REASON.test(tokens[i].norm) || (i > 0 && !BREAK.test(gap(i - 1, i)) && !/^(um|to|because|weil|da)$/.test(tokens[i].norm))) continue;
      let to = i;
      while (to + 1 < n && to - i < MAX_CLAUSE && !BREAK.test(gap(to, to + 1))) to++;
      if (to > i) out.push({ from: i, to, how: 'clause' });
    }
  }
  // Question words cut from the edges of every base candidate; what is left must start and end
  // with a content word and (German) hold a noun that is not the sentence's first word.
  const fn = (k: number) => isStopword(tokens[k].norm, 'de') || isStopword(tokens[k].norm, 'en') || HEDGE.test(tokens[k].norm);
  const sound = (a: number, b: number) => {
    if (fn(a) || fn(b)) return false;
    if (!input.german) return true;
    for (let k = Math.max(a, 1); k <= b; k++) if (tokens[k].capitalized || /\d/.test(tokens[k].norm)) return true;
    return false;
  };
  const asked = (k: number) => matched[k] || questionTerms.has(tokens[k].norm);
  for (const c of base) {
    let a = c.from;
    let b = c.to;
    while (a < b && asked(a)) a++;
    while (b > a && asked(b)) b--;
    if ((a === c.from && b === c.to) || asked(a) || !sound(a, b)) continue;
    out.push({ from: a, to: b, how: 'trimmed' });
  }
  return out;
}
