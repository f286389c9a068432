/**
 * Noun-phrase candidates for untyped questions ("What …?", "Which …?", "Was …?", "Welche …?"):
 * the largest XQuAD group, whose answer is a noun phrase of the answer sentence. A phrase is a run
 * of joined tokens (no punctuation between them) made of adjectives and nouns, optionally linked
 * by a genitive/"of" to a second such run, that ends in a noun; German nouns are capitalised,
 * English ones are any content word; a German phrase ends at its noun unless a name or genitive
 * follows, and a noun right after a number (its unit) is no phrase. The phrase nearest to the matched question words, ties going to the
 * one with more matched words around it (proximity and density, Tellex et al. 2003, as in rank.ts) that is not made of question words is the
 * short answer. Linear in the sentence length.
 *
 * The scoring was chosen on the TUNING part of XQuAD dev (scripts/lib/split.ts) with
 * `SHARED_DATA_DIR=/work/shared/data nice -n 10 npx tsx scripts/answer-eval.ts --part tuning --json`
 * (nearest-word proximity beat summed proximity and a bonus for phrases after the cue word).
 * Reporting part (same command, `--part reporting`): short-answer F1 over all questions EN→DE
 * 0.187 → 0.272, DE→DE 0.184 → 0.272 (gain 95 % bootstrap by question: +0.053…+0.120 and
 * +0.063…+0.116); "other" questions alone 0 → 0.154 / 0.153. answer@1 is unchanged (the sentence
 * shown is the same). Under `npm run -s eval -- --json --part reporting --only xquad_en_de,xquad_de_de`,
 * which scores the whole answer line when there is no short answer, F1 EN→DE is 0.279
 * [0.22, 0.34] and DE→DE 0.278 [0.21, 0.35] (0.263 EN→DE before): inside the interval there.
 */
import type { Token } from '../text/tokenize.js';

/** Function words that never belong to a noun phrase (German and English). */
const FUNCTION_WORD = new Set(
  ('der die das den dem des laut gemäß wegen trotz während zwischen hinsichtlich sowie bereits zwar weiter dort hier etwa rund ein eine einer eines einem einen und oder aber nicht auch noch nur sich sie er es wir ihr ich du ' +
    'ist sind war waren wird werden wurde wurden hat haben hatte hatten kann können konnte sollte soll muss als wie wenn weil dass ' +
    'mit von zu zum zur in im an am auf aus bei nach vor über unter um durch für gegen ohne bis seit ab so sehr dann damit da ' +
    'dies diese dieser dieses diesem diesen jede jeder jedes alle viele mehr man was wer wo welche welcher welches sein seine ihre ihren ' +
    'the a an and or but not also only it its they them he she his her their this that these those is are was were be been being ' +
    'has have had can could should would will may might must of to in on at by for with from as into than then so such which who what ' +
    'when where why how there here very more most some any each all both other many much also do does did next last').split(' '),
);
/** Linking words inside a phrase ("die Hauptstadt des Landes", "the capital of France"). */
const LINK = new Set(['des', 'der', 'of', 'von', 'vom']);

/** Matched tokens farther than this many tokens from a phrase do not add to its score. */
const WINDOW = 12;

/** A noun-phrase candidate: inclusive token range and character offsets in the sentence text. */
export interface Phrase {
  from: number;
  to: number;
  start: number;
  end: number;
  score: number;
}

/**
 * Every noun phrase of a sentence (the chunks {@link bestPhrase} chooses from), in text order, each
 * scored by the hand-set proximity score described in the module doc.
 * @param text the sentence text; `tokens` = tokenize(text).
 * @param matched per token: true when it matched a question group.
 * @param questionTerms normalised question tokens (never part of a phrase).
 * @param german true for German text (nouns are the capitalised words).
 */
export function allPhrases(text: string, tokens: Token[], matched: boolean[], questionTerms: Set<string>, german: boolean): Phrase[] {
  const joined = (i: number) => i > 0 && !/[,;:!?()"„“”«»–—]|\.\s/.test(text.slice(tokens[i - 1].end, tokens[i].start));
  const content = (k: number) => !FUNCTION_WORD.has(tokens[k].norm) && !matched[k] && !questionTerms.has(tokens[k].norm);
  const noun = (k: number) => content(k) && (german ? tokens[k].capitalized && k > 0 : true);
  const word = (k: number) => content(k) && /\p{L}/u.test(tokens[k].norm);
  const out: Phrase[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!word(i)) {
      i++;
      continue;
    }
    let to = i;
    for (;;) {
      // A German phrase ends at its noun unless a name or a genitive follows ("Fabrik große Fabrik" is two).
      const open = !german || !noun(to) || tokens[to + 1]?.capitalized;
      if (to + 1 < tokens.length && joined(to + 1) && word(to + 1) && open) to++;
      else if (to + 2 < tokens.length && LINK.has(tokens[to + 1].norm) && joined(to + 1) && joined(to + 2) && word(to + 2) && noun(to)) to += 1;
      else break;
    }
    let end = to;
    while (end >= i && !noun(end)) end--;
    // A noun right after a number is its unit or counted thing ("50 Kilogramm"), not a phrase of its own.
    const measure = i > 0 && /^\d/.test(tokens[i - 1].norm) && joined(i);
    if (end >= i && !measure) {
      // Proximity to the nearest matched token, a little for length; ties go to the phrase with
      // more matched tokens around it (only those within WINDOW: the scan stays linear).
      let nearest = 0;
      let around = 0;
      for (let k = Math.max(0, i - WINDOW); k <= Math.min(tokens.length - 1, end + WINDOW); k++) {
        if (!matched[k] || (k >= i && k <= end)) continue;
        const p = 1 / (1 + ((k < i ? i - k : k - end) - 1) / 4);
        nearest = Math.max(nearest, p);
        around += p;
      }
      const score = nearest + Math.min(end - i + 1, 4) * 0.02 + around * 0.01;
      out.push({ from: i, to: end, start: tokens[i].start, end: tokens[end].end, score });
    }
    i = to + 1;
  }
  return out;
}

/**
 * The best noun phrase of a sentence for an untyped question, or null.
 * @param text the sentence text; `tokens` = tokenize(text).
 * @param matched per token: true when it matched a question group.
 * @param questionTerms normalised question tokens (a phrase of only these is no answer).
 * @param german true for German text (nouns are the capitalised words).
 */
export function bestPhrase(text: string, tokens: Token[], matched: boolean[], questionTerms: Set<string>, german: boolean): Phrase | null {
  if (!matched.includes(true)) return null;
  let best: Phrase | null = null;
  for (const p of allPhrases(text, tokens, matched, questionTerms, german)) if (!best || p.score > best.score) best = p;
  return best;
}
