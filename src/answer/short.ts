/**
 * The glue between the answer sentence chosen by extract.ts and the span scorer (span.ts): the
 * short answer text of that sentence, or null when the scorer has no model or no candidate.
 */
import { chatConstructSpans } from '../text/markdown.js';
import type { Span } from '../text/sentences.js';
import type { Token } from '../text/tokenize.js';
import type { IsCommonWord } from './candidates.js';
import type { QuestionAnalysis } from './question.js';
import { chooseShort } from './span.js';

/**
 * Short answer of the chosen sentence.
 * @param docText the document text; `shown.span` is the quoted span (offsets into it), `own` the answer sentence itself.
 * @param language the document language (ISO 639-1); German text marks nouns by capitals.
 */
export function learnedShort(
  question: string,
  qa: QuestionAnalysis,
  docText: string,
  shown: { span: Span; tokens: Token[]; matchedTokens: boolean[] },
  own: Span,
  language: string,
  isCommon: IsCommonWord | null,
): string | null {
  const text = docText.slice(shown.span.start, shown.span.end);
  const rel = own.start - shown.span.start;
  const ownFrom = Math.max(0, shown.tokens.findIndex((t) => t.start >= rel));
  const c = chooseShort(question, { qa, text, tokens: shown.tokens, matched: shown.matchedTokens, ownFrom, german: language === 'de', isCommon });
  // A span inside or across a mention, timestamp tag or link ("987654321> Mitarbeiter") is no answer.
  if (!c || chatConstructSpans(text).some(([a, b]) => c.start < b && a < c.end)) return null;
  return text.slice(c.start, c.end);
}

/**
 * The answer type reported with a short answer: "who" questions answered by a company, newspaper
 * or agency report `organisation`, a person answering "which organisation" reports `person`.
 */
export function answeredType(qa: QuestionAnalysis, flavour: 'person' | 'organisation' | 'place' | null): QuestionAnalysis['type'] {
  if (qa.type === 'person' && flavour === 'organisation') return 'organisation';
  if (qa.type === 'organisation' && flavour === 'person') return 'person';
  return qa.type;
}

/** A sentence naming the person in full wins when its score is at least this share of the chosen one's. */
export const FULL_NAME_SHARE = 0.85;

/** What {@link fullerName} needs of a ranked sentence. */
export interface NamedSentence {
  shown: { tokens: Token[] };
  best: { c: { kind: string; flavour: string | null; from: number; to: number } } | null;
  total: number;
}

/**
 * A person answered by a surname only ("Stoltenberg") is named in full ("Jens Stoltenberg") when
 * another sentence of the cited passages has a longer person name ending in the same word and
 * scores at least {@link FULL_NAME_SHARE} of the chosen sentence. Returns that sentence or the chosen one.
 */
export function fullerName<T extends NamedSentence>(pick: T, all: T[]): T {
  const c = pick.best?.c;
  if (!c || c.kind !== 'name' || c.from !== c.to || c.flavour === 'organisation' || c.flavour === 'place') return pick;
  const surname = pick.shown.tokens[c.to].norm;
  let out = pick;
  for (const r of all) {
    const x = r.best?.c;
    if (!x || r === pick || x.kind !== 'name' || x.to === x.from || x.to - x.from > 3 || x.flavour !== 'person') continue;
    if (r.shown.tokens[x.to].norm !== surname || r.total < FULL_NAME_SHARE * pick.total) continue;
    if (out === pick || r.total > out.total) out = r;
  }
  return out;
}

/**
 * False when a name or title candidate is mostly the question's own words ("Bowl XLIX-Champion"
 * for "Who won Super Bowl XLIX?"): it names the asked-about thing, not the answer. Numbers and
 * dates are kept (their unit may well be a question word: "17 Sekunden" for "how many seconds").
 * @param matched per token: true when it matched a question group; `terms` the question's tokens.
 */
export function answerLike(c: { kind: string; from: number; to: number }, tokens: Token[], matched: boolean[], terms: Set<string>): boolean {
  if (c.kind !== 'name' && c.kind !== 'quoted' && c.kind !== 'body') return true;
  let question = 0;
  let own = 0;
  for (let k = c.from; k <= c.to; k++) {
    if (matched[k] || terms.has(tokens[k].norm)) question++;
    else own++;
  }
  return own > question;
}
