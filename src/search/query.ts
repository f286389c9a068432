/**
 * From a question to BM25 query groups, with dictionary translation of English questions.
 *
 * Each content word of the question becomes one group: the word's own German and English stems
 * (names and numbers pass through untranslated this way) plus, for an English question, the
 * German stems of all its Ding translations. English phrases of up to three words that the
 * dictionary lists ("national anthem" → Nationalhymne) are matched first, longest first, and
 * become one group. Keeping the original word in the group matters: without it, recall@1 fell by
 * about 20 points in trials (shared/notes/retrieval-trials.md).
 */
import { tokenize, type Token } from '../text/tokenize.js';
import { isStopword, stem, stopwordVotes } from '../text/stem.js';
import type { QueryGroup } from './lexical.js';
import { englishTermsOfGerman, germanLemma, MAX_PHRASE_WORDS, translateEnglish, type Dictionary } from './dictionary.js';
import { specificity } from './confidence.js';

/** A query ready for search. */
export interface Query {
  groups: QueryGroup[];
  /** Guessed language of the question. */
  language: 'de' | 'en';
  /** True when words were expanded with translations (English → German, or German → English). */
  translated: boolean;
  /** Question tokens (for highlighting and answer typing). */
  tokens: Token[];
}

/**
 * Guess whether a question is German or English: stopword votes, then dictionary membership of
 * the content words; German on a tie (the corpus language).
 */
export function guessLanguage(tokens: Token[], dict: Dictionary | null): 'de' | 'en' {
  const words = tokens.map((t) => t.norm);
  const votes = stopwordVotes(words);
  if (votes.en !== votes.de) return votes.en > votes.de ? 'en' : 'de';
  if (!dict) return 'de';
  let en = 0;
  let de = 0;
  for (const w of words) {
    if (/\d/.test(w)) continue;
    const isEn = dict.en.has(w);
    const isDe = dict.deFreq.has(w);
    if (isEn && !isDe) en++;
    if (isDe && !isEn) de++;
  }
  return en > de ? 'en' : 'de';
}

/**
 * Words that shape a question but name nothing to look for ("how many", "per"); dropped from
 * queries in addition to the Snowball stopwords.
 */
const QUESTION_WORDS = new Set([
  'many', 'much', 'per', 'often', 'also', 'please', 'tell', 'know', 'say', 'says', 'said', 'according', 'mentioned', 'called',
  'viele', 'viel', 'pro', 'je', 'bitte', 'laut', 'genannt', 'gibt', 'gab',
  // German auxiliaries and modal verbs missing from the Snowball list (it has soll, kann, muss…):
  // without them "Wie viele Drohnen sollen pro Monat produziert werden?" ranked the seed report's
  // paragraph with two "sollen" above the one with "100 Drohnen im Monat". Neutral on the eval
  // (all dev questions, before the tuning/reporting split existed).
  'wurde', 'wurden', 'worden', 'sollen', 'sollten', 'müssen', 'musste', 'mussten', 'dürfen', 'darf', 'durfte',
  'konnte', 'konnten', 'möchte', 'mag',
]);

/** Particles of German separable verbs ("Wer stellt die Drohnen her?" → herstellen). */
const SEPARABLE_PARTICLES = new Set([
  'ab', 'an', 'auf', 'aus', 'bei', 'dar', 'ein', 'fest', 'fort', 'her', 'heraus', 'herum', 'hin', 'hinaus', 'los', 'mit',
  'nach', 'vor', 'vorbei', 'weg', 'zu', 'zurück', 'zusammen',
]);

/**
 * In a German question that ends in a verb particle, join the particle to the finite verb (the
 * first lower-case content word): "stellt … her" → "herstellt". Returns the index of the verb
 * token and the joined form, or null.
 */
function separableVerb(tokens: Token[], isStop: (w: string) => boolean): { verb: number; particle: number; joined: string } | null {
  const last = tokens.length - 1;
  if (last < 1 || !SEPARABLE_PARTICLES.has(tokens[last].norm)) return null;
  for (let i = 0; i < last; i++) {
    const t = tokens[i];
    if (t.capitalized || isStop(t.norm) || /\d/.test(t.norm) || t.norm.includes('-')) continue;
    return { verb: i, particle: last, joined: tokens[last].norm + t.norm };
  }
  return null;
}

/**
 * Letters after which the German Snowball stemmer removes a final "s" (its "s-ending" class:
 * b d f g h k l m n r t; snowballstem.org, German stemming algorithm, step 1). After any other
 * letter "-s" stays: "Prototyps" → "prototyps" but "Prototyp" → "prototyp", "Kameras" →
 * "kameras" but "Kamera" → "kamera".
 */
const SNOWBALL_S_ENDING = /[bdfghklmnrt]$/;

/**
 * Adds to a group (and its fallbacks) the "-s" form of each stem the stemmer cannot conflate with
 * it: the genitive or plural "-s" of loanwords and words in -p/-a/-o/-y ("des Prototyps", "die
 * Autos"), and the form without "-s" of a stem in -ps/-ys ("Prototyps" → "prototyp"). The group
 * stays one BM25 term.
 */
function withPluralS(g: QueryGroup): void {
  const terms = new Set(g.terms);
  for (const t of g.terms) {
    if (t.length < 3 || !/\p{L}$/u.test(t) || t.includes(' ')) continue;
    if (t.endsWith('s')) {
      const base = t.slice(0, -1);
      // Only after -p/-y: "Haus", "Kreis", "Glas" end in -s in every case, so "hau", "krei", "gla" would be wrong.
      if (/[py]$/.test(base) && base.length >= 3) terms.add(base);
    } else if (!SNOWBALL_S_ENDING.test(t)) terms.add(t + 's');
  }
  g.terms = [...terms];
  for (const f of g.fallback ?? []) withPluralS(f);
}

function ownStems(norm: string): string[] {
  return [...new Set([stem(norm, 'de'), stem(norm, 'en')])];
}

/**
 * The group of one word: its own stems plus, with a dictionary, its translations: German stems of
 * the Ding translations of an English word, or English stems of a German word's translations
 * (src/search/dictionary.ts `englishTermsOfGerman`: its own Ding sub-entries, else its
 * dictionary form's, else its compound parts').
 */
function wordGroup(norm: string, language: 'de' | 'en', dict: Dictionary | null): QueryGroup {
  const terms = new Set(ownStems(norm));
  if (dict && !/\d/.test(norm)) {
    // "kostet" also matches "kosten" (stems "kostet" / "kost"): without it a German question lost
    // its German paragraph to an English one that matched the translation "cost"
    // (tests/answer.test.ts). TUNING part, `npm run -s eval -- --json --part tuning --only
    // xquad_de_de,mlqa_de_de,xquad_de_en`, search recall@1/@5 without → with: XQuAD de→de
    // 0.925/0.981 both, de→en 0.851/0.969 both, MLQA 0.562/0.731 → 0.569/0.738 (noise).
    const lemma = language === 'de' ? germanLemma(dict, norm) : null;
    if (lemma) terms.add(stem(lemma, 'de'));
    if (language === 'en') for (const g of translateEnglish(dict, norm)) terms.add(stem(g, 'de'));
    else for (const e of englishTermsOfGerman(dict, norm)) terms.add(e);
  }
  return { label: norm, terms: [...terms], weight: 1, specificity: specificity(norm, language, dict), lang: language };
}

/** Options of {@link buildQuery}. */
export interface QueryOptions {
  /**
   * Expand a German question with English translations (German questions over English
   * documents). Off by default: with German documents only, the English stems would only widen
   * the groups' document frequency, so the caller turns it on when English documents exist.
   */
  germanToEnglish?: boolean;
}

/**
 * Build the query groups of a question.
 * @param dict the Ding dictionary, or null (then no translation: monolingual matching).
 */
export function buildQuery(question: string, dict: Dictionary | null, options: QueryOptions = {}): Query {
  const tokens = tokenize(question);
  const language = guessLanguage(tokens, dict);
  const groups: QueryGroup[] = [];
  const translate = language === 'en' && dict !== null;
  const deToEn = language === 'de' && dict !== null && options.germanToEnglish === true;
  const isStop = (w: string) => isStopword(w, language) || QUESTION_WORDS.has(w) || (w.length < 2 && !/\d/.test(w));
  const sep = language === 'de' ? separableVerb(tokens, isStop) : null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isStop(t.norm) || i === sep?.particle) continue;
    if (i === sep?.verb) {
      const g = wordGroup(sep.joined, language, deToEn ? dict : null);
      const extra = deToEn ? wordGroup(t.norm, language, dict).terms : ownStems(t.norm);
      g.terms = [...new Set([...g.terms, ...extra])];
      groups.push(g);
      continue;
    }
    if (translate && !/\d/.test(t.norm)) {
      let used = 0;
      for (let n = Math.min(MAX_PHRASE_WORDS, tokens.length - i); n >= 2; n--) {
        const words = tokens.slice(i, i + n).map((x) => x.norm);
        if (isStop(words[n - 1])) continue;
        const de = dict.en.get(words.join(' '));
        if (!de) continue;
        const terms = new Set<string>();
        for (const w of words) if (!isStop(w)) ownStems(w).forEach((s) => terms.add(s));
        for (const g of de) terms.add(stem(g, 'de'));
        const fallback = words.filter((w) => !isStop(w) && !/\d/.test(w)).map((w) => wordGroup(w, language, dict));
        groups.push({ label: words.join(' '), terms: [...terms], weight: 1, specificity: specificity(words.filter((w) => !isStop(w)).join(' '), language, dict), lang: language, fallback });
        used = n;
        break;
      }
      if (used) {
        i += used - 1;
        continue;
      }
    }
    groups.push(wordGroup(t.norm, language, translate || deToEn ? dict : null));
  }
  for (const g of groups) withPluralS(g);
  // Drop exact duplicate groups (a word asked twice counts once).
  const seen = new Set<string>();
  const unique = groups.filter((g) => {
    const key = [...g.terms].sort().join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { groups: unique, language, translated: translate || deToEn, tokens };
}
