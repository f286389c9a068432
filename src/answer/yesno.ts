/**
 * Yes/no verdicts for polar questions ("Ist die Brücke gesperrt?", "Will the farm open in 2025?"),
 * read off the one sentence the extractive answer quotes. The rules are deliberately cautious —
 * a wrong "Yes" is worse than none — in the spirit of the lexical entailment baselines of the
 * RTE challenges (Dagan, Glickman & Magnini, "The PASCAL Recognising Textual Entailment
 * Challenge", 2005: word overlap plus a negation-mismatch check):
 *
 *  - "yes" when the sentence matches every content group of the question (the question's own
 *    words, their stems or dictionary translations; the leading auxiliary excepted), no negation
 *    stands in a clause that holds a matched word, and nothing hedges or conditions it;
 *  - "no" when it matches every content group but such a clause holds a negation (nicht, kein,
 *    nie, not, no, never, …) the question lacks, or when it matches every group except the
 *    question's figure and states a different figure of the same thing ("48 turbines" for
 *    "60 turbines?", 2018 for 2019);
 *  - no verdict (null) otherwise: a content word missing, a negative question, a conditional,
 *    hedged, contrasting or cancelling sentence ("cancelled", "verschoben", "whether", "ob",
 *    "soll", "but", "jedoch").
 *
 * Precision on the fixture questions of tests/fixtures/kinds (our own documents, both polarities)
 * is asserted in tests/answer.kinds.test.ts. Linear in the sentence and question length.
 */
import type { Token } from '../text/tokenize.js';
import type { QueryGroup } from '../search/lexical.js';
import type { QuestionAnalysis } from './question.js';

/** A yes/no verdict. */
export type Verdict = 'yes' | 'no';

/** Negation words (EN/DE), normalised as the tokenizer gives them. */
const NEGATION = /^(nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|nirgends|nichts|niemand|weder|not|no|never|none|nobody|nothing|nowhere|neither|nor|cannot|[a-z]+n['’]t)$/;
/** Words that make a sentence conditional, hedged, reported or contrary to what it seems to say: no verdict. */
const UNSURE =
  /^(ob|falls|wenn|sofern|vielleicht|möglicherweise|eventuell|angeblich|fraglich|unklar|ungewiss|unwahrscheinlich|kaum|ohne|statt|anstatt|stattdessen|anstelle|ehemals|früher|einst|zuvor|abgesagt|gestrichen|abgelehnt|verschoben|gestoppt|eingestellt|gescheitert|verworfen|dementiert|bestritten|verweigert|verboten|untersagt|aufgegeben|zurückgezogen|whether|if|unless|maybe|perhaps|possibly|allegedly|reportedly|unclear|uncertain|unlikely|doubt|doubtful|hardly|barely|without|instead|formerly|previously|once|cancelled|canceled|scrapped|rejected|denied|postponed|delayed|stopped|halted|suspended|abandoned|failed|refused|banned|prohibited|withdrawn|dropped|rumoured|rumored)$/;
/** Modal or planning words: a plan is no fact unless the question asks about the future or a plan too. */
/**
 * Contrast conjunctions: "open to pedestrians but closed to cars" matches "Is the bridge open to
 * cars?" word for word, so a contrast in a matched clause leaves the verdict open.
 */
const CONTRAST = /^(but|however|whereas|although|though|yet|nevertheless|aber|jedoch|sondern|obwohl|allerdings|dagegen|hingegen|trotzdem|dennoch)$/;
const PLAN = /^(soll|sollen|sollte|sollten|plant|planen|geplant|voraussichtlich|dürfte|könnte|könnten|expected|planned|plans|intends|intended|supposed|could|might|may|likely|proposed|hopes|hofft)$/;
const QUESTION_FUTURE = /^(will|would|should|shall|going|expected|planned|plan|wird|werden|würde|soll|sollen|sollte|geplant|plant|voraussichtlich)$/;
/** "nicht nur", "not only": no negation of the predicate. */
const NOT_ONLY = /^(nur|only|just|merely|weniger|less)$/;
/** Comparisons and approximations around a figure: a different figure does not contradict them. */
const APPROX = /^(mehr|über|mindestens|weniger|unter|bis|fast|knapp|rund|etwa|ca|circa|ungefähr|gut|vor|nach|seit|ab|more|over|least|less|under|up|nearly|almost|about|around|roughly|approximately|some|before|after|since|by|until|than|als)$/;

/** What {@link yesNoVerdict} needs of the quoted sentence. */
export interface VerdictSentence {
  /** The quoted text and its tokens (offsets into it). */
  text: string;
  tokens: Token[];
  /** Per token: matched a question group. */
  matchedTokens: boolean[];
  /** Per query group: the sentence matches it. */
  matchedGroups: boolean[];
}

/**
 * The verdict of a yes/no question on the sentence chosen to answer it, or null when unsure.
 * @param question the question text; `qa` its analysis (type must be `yesno`, else null).
 * @param groups the query groups; `idfs` their weights (0 = question frame, not content).
 */
export function yesNoVerdict(question: string, qa: QuestionAnalysis, groups: QueryGroup[], idfs: number[], s: VerdictSentence): Verdict | null {
  if (qa.type !== 'yesno' || s.tokens.length === 0 || /\?\s*$/.test(s.text)) return null;
  const q = question.toLowerCase();
  const qWords = q.split(/[^\p{L}\p{N}'’]+/u).filter(Boolean);
  if (qWords.some((w, i) => NEGATION.test(w) && !NOT_ONLY.test(qWords[i + 1] ?? ''))) return null;
  const aux = qWords[0] ?? '';
  const content: number[] = [];
  groups.forEach((g, i) => {
    if ((idfs[i] ?? 1) <= 0 || g.weight < 1) return;
    if (g.label.toLowerCase() === aux && !/\d/.test(aux)) return;
    content.push(i);
  });
  if (content.length === 0) return null;
  const missing = content.filter((i) => !s.matchedGroups[i]);
  const norms = s.tokens.map((t) => t.norm);
  // Only clauses that hold a matched word count ("…, who previously managed …" says nothing on the question).
  const clauses = clauseIds(s);
  const matchedClause = new Set<number>();
  s.matchedTokens.forEach((m, k) => m && matchedClause.add(clauses[k]));
  const inMatched = (k: number) => matchedClause.has(clauses[k]);
  if (norms.some((n, k) => (UNSURE.test(n) || CONTRAST.test(n)) && inMatched(k))) return null;
  if (norms.some((n, k) => PLAN.test(n) && inMatched(k)) && !qWords.some((w) => QUESTION_FUTURE.test(w))) return null;
  if (missing.length > 0) return figureMismatch(qWords, groups, missing, content, s) ? 'no' : null;
  // Negation in a clause that holds a matched word.
  for (let k = 0; k < norms.length; k++) {
    if (!NEGATION.test(norms[k]) || !inMatched(k)) continue;
    if (NOT_ONLY.test(norms[k + 1] ?? '')) continue;
    return 'no';
  }
  return 'yes';
}

/** Clause number of each token: clauses end at , ; : – and the dashes between tokens. */
function clauseIds(s: VerdictSentence): number[] {
  let id = 0;
  return s.tokens.map((t, k) => {
    if (k > 0 && /[,;:–—]/.test(s.text.slice(s.tokens[k - 1].end, t.start))) id++;
    return id;
  });
}

const YEAR = /^(1[0-9]|20)\d\d$/;

/**
 * True when the only unmatched content groups are the question's figures, and the sentence states
 * a different figure of the same thing: a year for a year, or a figure followed by the same word
 * ("18 Millionen Euro" for "20 Millionen Euro"), with no comparison or approximation around
 * either figure.
 */
function figureMismatch(qWords: string[], groups: QueryGroup[], missing: number[], content: number[], s: VerdictSentence): boolean {
  if (!missing.every((i) => /^\d[\d.,]*$/.test(groups[i].label))) return false;
  if (missing.length === content.length) return false;
  for (const i of missing) {
    const label = groups[i].label.replace(/[.,]/g, '');
    const qi = qWords.findIndex((w) => w.replace(/[.,]/g, '') === label);
    if (qi < 0 || APPROX.test(qWords[qi - 1] ?? '')) return false;
    const after = qWords[qi + 1] ?? '';
    let found = false;
    for (let k = 0; k < s.tokens.length; k++) {
      const n = s.tokens[k].norm;
      if (!/^\d[\d.,]*$/.test(n) || n.replace(/[.,]/g, '') === label) continue;
      if (APPROX.test(s.tokens[k - 1]?.norm ?? '')) return false;
      const sameKind = (YEAR.test(label) && YEAR.test(n)) || (after !== '' && !YEAR.test(label) && s.tokens[k + 1] !== undefined && sameWord(s.tokens[k + 1].norm, after));
      if (sameKind) found = true;
    }
    if (!found) return false;
  }
  return true;
}

/** Same word up to a short inflection ending ("turbines"/"turbine", "Millionen"/"Million"). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const n = Math.min(a.length, b.length);
  if (n < 4) return false;
  let k = 0;
  while (k < n && a[k] === b[k]) k++;
  return k >= n - 2 && Math.max(a.length, b.length) - k <= 3;
}

/** The verdict in the asker's language, in Markdown bold: "**Yes**", "**Nein**". */
export function verdictLine(verdict: Verdict, language: 'en' | 'de'): string {
  const word = language === 'de' ? (verdict === 'yes' ? 'Ja' : 'Nein') : verdict === 'yes' ? 'Yes' : 'No';
  return `**${word}**`;
}
