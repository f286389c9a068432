/**
 * Sentence-context features of a short-answer candidate for untyped questions (span.ts): where the
 * candidate stands relative to the sentence's copula, naming verb, commas and parentheses, and how
 * much of it echoes the question. Each is a classic cue of extractive factoid QA:
 * - the subject or predicate of a copula whose other side holds the matched question words ("Van
 *   Nuys Airport ist der verkehrsreichste Flughafen …" for "What is the busiest airport …");
 * - the object of a naming verb ("… wird Gemeinde genannt", "… als Lama bezeichnet", "known as");
 * - an apposition next to the matched words, separated only by a comma ("das Momus, Warschaus
 *   erstes literarisches Kabarett");
 * - a bracketed gloss or abbreviation ("(ASL)", "(Gmina)"), rarely the answer in XQuAD;
 * - words that repeat a question word in another form ("Problem" for "Problemen", "Maschine" for
 *   "Turing-Maschine"): SQuAD answers do not repeat the question;
 * - proximity to a matched non-capitalised word of German text (mostly the question's verb or an
 *   adjective), as the answer is often the verb's object.
 * The feature weights are learned (scripts/train-span.ts, tuning part only). Linear in the
 * sentence length per candidate (bounded scans).
 */
import type { Token } from '../text/tokenize.js';

const COPULA = /^(ist|sind|war|waren|wird|werden|wurde|wurden|bleibt|gilt|is|are|was|were|becomes|became|remains)$/;
const NAMING = /^(genannt|bezeichnet|heißt|hieß|heißen|hießen|nennt|nannte|nennen|benannt|getauft|called|named|termed|known|dubbed|referred)$/;
/** Words that introduce a naming or a role ("als Lama", "as the …"). */
const AS = /^(als|as)$/;
/** Clause punctuation between two tokens. */
const CLAUSE_BREAK = /[,;:()]|\.\s/;
/** How far (tokens) a copula or naming verb is looked for. */
const REACH = 8;

/** Inputs of {@link contextFeatures}. */
export interface ContextInput {
  text: string;
  tokens: Token[];
  matched: boolean[];
  questionTerms: Set<string>;
  german: boolean;
}

/** Names of {@link contextFeatures}' values, in order. */
export const CONTEXT_FEATURES = ['copulaOpposite', 'naming', 'apposition', 'inParens', 'echo', 'echoShare', 'proxVerb', 'afterVerb'] as const;

/** True when the text between tokens a < b holds a clause break. */
function broken(input: ContextInput, a: number, b: number): boolean {
  return CLAUSE_BREAK.test(input.text.slice(input.tokens[a].end, input.tokens[b].start));
}

/** True when token k's word repeats a question word or a matched word of the sentence in another form (shared 5-letter stem). */
export function echoes(input: ContextInput, k: number, stems: Set<string>): boolean {
  const n = input.tokens[k].norm;
  if (input.matched[k] || n.length < 4) return false;
  return n.split('-').some((p) => p.length >= 4 && stems.has(p.slice(0, 5)));
}

/** The 5-letter stems of the question terms and of the sentence's matched tokens (for {@link echoes}). */
export function echoStems(input: ContextInput): Set<string> {
  const out = new Set<string>();
  const add = (w: string) => {
    for (const p of w.split('-')) if (p.length >= 4) out.add(p.slice(0, 5));
  };
  for (const t of input.questionTerms) add(t);
  input.tokens.forEach((t, k) => input.matched[k] && add(t.norm));
  return out;
}

/**
 * The context features of the candidate token range [from, to] (order: {@link CONTEXT_FEATURES}),
 * each in [0, 1].
 * @param stems {@link echoStems} of the input (computed once per sentence).
 */
export function contextFeatures(input: ContextInput, from: number, to: number, stems: Set<string>): number[] {
  const { text, tokens, matched, german } = input;
  const n = tokens.length;
  // A copula in the same clause with the candidate on one side and a matched word on the other.
  let copulaOpposite = 0;
  for (let k = to + 1; k < n && k <= to + REACH && !broken(input, k - 1, k); k++) {
    if (!COPULA.test(tokens[k].norm)) continue;
    for (let j = k + 1; j < n && j <= k + REACH && !broken(input, j - 1, j); j++) if (matched[j]) copulaOpposite = 1;
    break;
  }
  for (let k = from - 1; k >= 0 && k >= from - REACH && !copulaOpposite && !broken(input, k, k + 1); k--) {
    if (!COPULA.test(tokens[k].norm)) continue;
    for (let j = k - 1; j >= 0 && j >= k - REACH && !broken(input, j, j + 1); j--) if (matched[j]) copulaOpposite = 1;
    break;
  }
  // A naming verb right after the candidate ("Gemeinde (Gmina) genannt"), or "als/as" before it with one after.
  let naming = 0;
  for (let k = to + 1; k < n && k <= to + 4; k++) if (NAMING.test(tokens[k].norm)) naming = 1;
  if (from > 0 && AS.test(tokens[from - 1].norm)) for (let k = to + 1; k < n && k <= to + 4; k++) if (NAMING.test(tokens[k].norm)) naming = 1;
  if (from > 1 && AS.test(tokens[from - 1].norm) && /^(known|bekannt)$/.test(tokens[from - 2].norm)) naming = 1;
  // An apposition: only a comma between the candidate and a matched word next to it.
  const comma = (a: number, b: number) => /^\s*,\s*$/.test(text.slice(tokens[a].end, tokens[b].start));
  const apposition = (from > 0 && matched[from - 1] && comma(from - 1, from)) || (to + 1 < n && matched[to + 1] && comma(to, to + 1)) ? 1 : 0;
  const before = text.slice(Math.max(0, tokens[from].start - 2), tokens[from].start);
  const after = text.slice(tokens[to].end, tokens[to].end + 2);
  const inParens = /\(\s*$/.test(before) && /^\s*\)/.test(after) ? 1 : 0;
  let echoCount = 0;
  for (let k = from; k <= to; k++) if (echoes(input, k, stems)) echoCount++;
  // Nearest matched lower-case content word (German text: verbs and adjectives are not capitalised).
  let verbDist = Infinity;
  let afterVerb = 0;
  if (german) {
    for (let k = Math.max(0, from - REACH); k <= Math.min(n - 1, to + REACH); k++) {
      if (!matched[k] || tokens[k].capitalized || /\d/.test(tokens[k].norm) || (k >= from && k <= to)) continue;
      const d = k < from ? from - k : k - to;
      if (d < verbDist) [verbDist, afterVerb] = [d, k < from ? 1 : 0];
    }
  }
  return [
    copulaOpposite,
    naming,
    apposition,
    inParens,
    echoCount > 0 ? 1 : 0,
    echoCount / (to - from + 1),
    verbDist === Infinity ? 0 : 1 / (1 + (verbDist - 1) / 4),
    afterVerb,
  ];
}
