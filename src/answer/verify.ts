/**
 * Checks an LLM reply against the passages it was given, before it is shown. In order:
 *
 * 1. Shape: not empty, at most MAX_REPLY_CHARS, no masked links ("[text](url)") and no URL that
 *    is not in a cited passage.
 * 2. Citations: at least one [n], and every n in 1..passages (also "[1, 2]", "[1-3]", "[1][2]").
 * 3. Claims (claims.ts): each sentence that states something cites; its numbers, codes, names and
 *    content words are found in the passages *that sentence* cites, numbers bound to what they
 *    count; negation and modality agree. Instruction-like passage text (injection.ts) is blanked
 *    first, so it never counts as support.
 * 4. Relevance: the reply shares a content word with the question (when one is given).
 * 5. Language: the reply is written in the expected language (stopword votes; kind "language").
 *
 * The checks are a safety net; the citations always show the verbatim passages.
 */
import { isStopword, stopwordVotes } from '../text/stem.js';
import { checkClaim, fold, splitClaims, WordIndex, type ClaimHooks, type SupportPassage } from './claims.js';
import { withoutInstructions } from './injection.js';

export { fold };

/** A passage the reply may cite: its number, verbatim text and (optional) language. */
export interface VerifyPassage {
  n: number;
  text: string;
  /** ISO 639-1 code of the passage text; default 'de' when German stopwords win, else 'en'. */
  language?: string | null;
}

export type ProblemKind =
  | 'empty'
  | 'too-long'
  | 'markup'
  | 'url'
  | 'no-citation'
  | 'unknown-citation'
  | 'uncited-claim'
  | 'number'
  | 'number-binding'
  | 'name'
  | 'content'
  | 'negation'
  | 'modality'
  | 'irrelevant'
  | 'injection'
  | 'language';

/** Longest reply accepted (characters); longer ones are refused, not cut. */
export const MAX_REPLY_CHARS = 4000;

export interface VerifyProblem {
  kind: ProblemKind;
  /** Human-readable detail naming the offending citation, number or name. */
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  /** Valid citation numbers found in the reply, ascending. */
  cited: number[];
}

export interface VerifyOptions {
  /** ISO 639-1 code the reply must be written in; guessed from stopwords when absent (not enforced then). */
  language?: string | null;
  /** The question, for the relevance check (skipped when absent, e.g. for summaries). */
  question?: string;
  /**
   * Optional: true when a word (lower case) is an ordinary word rather than a name, e.g. known to
   * a dictionary. Sentence-initial capitalised words are checked as names only with this hook.
   */
  isCommonWord?: (word: string) => boolean;
  /**
   * Optional: other spellings or translations of a word of the reply (e.g. English → German from
   * a dictionary: "Defence" → ["Verteidigung"]). Without it, lower-case words of a reply in
   * another language than the passages are not checked.
   */
  translate?: (word: string) => string[];
}

/** Longest citation range expanded ("[1-3]" → 1, 2, 3). */
const MAX_RANGE = 20;

const CITATION_RE = /\[\s*(\d{1,4}(?:\s*(?:[,;]|[-–‐‑])\s*\d{1,4})*)\s*\]/g;

/** Citation numbers in `reply`, in order of appearance (with repeats). */
export function parseCitations(reply: string): number[] {
  const out: number[] = [];
  for (const m of reply.matchAll(CITATION_RE)) {
    for (const part of m[1].split(/\s*[,;]\s*/)) {
      const range = /^(\d+)\s*[-–‐‑]\s*(\d+)$/.exec(part);
      if (range) {
        const a = Number(range[1]);
        const b = Number(range[2]);
        if (b >= a && b - a <= MAX_RANGE) for (let k = a; k <= b; k++) out.push(k);
        else out.push(a, b);
      } else out.push(Number(part));
    }
  }
  return out;
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()\[\]]+/gi;
const MASKED_LINK_RE = /\[[^\]\n]{0,200}\]\(\s*<?[^)\s]{1,500}>?\s*\)/;

/**
 * Check `reply` against the passages it may cite.
 * @param passages the passages given to the model, numbered 1..n (their `n`).
 * @returns ok = no problem; `problems` lists each failed check once.
 */
export function verifyReply(reply: string, passages: VerifyPassage[], options: VerifyOptions = {}): VerifyResult {
  const problems: VerifyProblem[] = [];
  const seen = new Set<string>();
  const add = (kind: ProblemKind, detail: string) => {
    const key = `${kind}:${detail}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ kind, detail });
    }
  };
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  if (!reply.trim()) {
    add('empty', 'the reply is empty');
    return { ok: false, problems, cited: [] };
  }
  if (reply.length > MAX_REPLY_CHARS) {
    add('too-long', `the reply has ${reply.length} characters (limit ${MAX_REPLY_CHARS})`);
    return { ok: false, problems, cited: [] };
  }

  // 2. Citations.
  const numbers = parseCitations(reply);
  const cited = [...new Set(numbers.filter((k) => byNumber.has(k)))].sort((a, b) => a - b);
  for (const k of new Set(numbers)) if (!byNumber.has(k)) add('unknown-citation', `[${k}] does not exist (passages: 1..${passages.length})`);
  if (numbers.length === 0) add('no-citation', 'the reply cites no passage');

  // 1. Markup and URLs.
  if (MASKED_LINK_RE.test(reply)) add('markup', 'the reply contains a masked link');
  const citedRaw = cited.map((k) => byNumber.get(k)!.text).join('\n');
  for (const m of reply.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    if (!citedRaw.includes(url)) add('url', `${url} is not in the cited passages`);
  }

  const body = reply.replace(CITATION_RE, ' ');
  const lang = normLang(options.language) ?? guessLanguage(body);

  // 3. Claims, each against its own cited passages (instructions blanked).
  const support = new Map<number, SupportPassage>();
  for (const p of passages) {
    const clean = withoutInstructions(p.text);
    support.set(p.n, { n: p.n, text: clean, lang: normLang(p.language) ?? guessLanguage(p.text) });
  }
  const hooks: ClaimHooks = { translate: options.translate, isCommonWord: options.isCommonWord };
  for (const claim of splitClaims(reply, parseCitations)) {
    const ps = [...new Set(claim.cites)].filter((k) => support.has(k)).map((k) => support.get(k)!);
    if (ps.length > 0 && ps.every((p) => !p.text.trim())) {
      add('injection', `"${claim.text.trim().slice(0, 60)}" cites only instruction-like passage text`);
      continue;
    }
    checkClaim(claim, ps, lang, hooks, add, normLang(options.language));
  }

  // 4. Relevance.
  if (options.question) {
    const q = questionWords(options.question);
    if (q.length > 0) {
      const idx = new WordIndex(body);
      if (!q.some((w) => idx.matches(w, hooks))) add('irrelevant', 'the reply shares no content word with the question');
    }
  }

  // 5. Language.
  const expected = normLang(options.language);
  if (expected) {
    const v = stopwordVotes(wordsOf(body).map(fold));
    const other = expected === 'de' ? v.en : v.de;
    const own = expected === 'de' ? v.de : v.en;
    if (other >= 2 && other > own) add('language', `the reply is not in the asker's language (${expected})`);
  }

  return { ok: problems.length === 0, problems, cited };
}

function normLang(l: string | null | undefined): 'de' | 'en' | null {
  const x = (l ?? '').toLowerCase();
  return x === 'de' || x === 'en' ? x : null;
}

function wordsOf(text: string): string[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’\-‐‑][\p{L}\p{N}]+)*/gu)].map((m) => m[0]);
}

/** Question words that carry content (not stopwords, not question words). */
function questionWords(q: string): string[] {
  const skip = new Set(['how', 'many', 'much', 'what', 'which', 'when', 'where', 'who', 'whom', 'why', 'does', 'did', 'wie', 'viele', 'viel', 'was', 'welche', 'welcher', 'welches', 'wann', 'wo', 'wer', 'warum', 'wieso', 'tell', 'give', 'please', 'bitte']);
  return wordsOf(q).filter((w) => {
    const f = fold(w);
    return f.length > 2 && !skip.has(f) && !isStopword(f, 'de') && !isStopword(f, 'en');
  });
}

/** 'de' or 'en' by stopword votes (ties → 'en'). */
function guessLanguage(text: string): 'de' | 'en' {
  const v = stopwordVotes(wordsOf(text).map(fold));
  return v.de > v.en ? 'de' : 'en';
}
