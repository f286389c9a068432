/**
 * Context facts of answer sentences for the sentence ranker (src/answer/learned.ts): what a
 * sentence shares with the question beyond its own idf coverage — its neighbours' coverage, the
 * question groups only it matches in its passage, the exact question words, word pairs (bigrams)
 * and names/numbers it repeats. After the density and proximity features of factoid passage
 * retrieval (Tellex et al., SIGIR 2003) and the term-proximity features of learning-to-rank
 * (e.g. the LETOR feature sets, Qin et al. 2010).
 *
 * Everything is linear in the number of sentences × query groups (the passages are few, ≤ 50).
 */
import type { Token } from '../text/tokenize.js';
import { tokenize } from '../text/tokenize.js';
import { isStopword } from '../text/stem.js';
import type { QueryGroup } from '../search/lexical.js';

/** One scored sentence as the context facts need it. */
export interface SentenceUnit {
  /** 0-based passage rank and document id of the passage. */
  passage: number;
  docId: string;
  /** Per query group: true when the sentence matches it. */
  matchedGroups: boolean[];
  tokens: Token[];
  /** Document offsets of the sentence (a sentence cited by two overlapping chunks has the same span). */
  start: number;
  end: number;
}

/** The context facts of one sentence (all in [0, 1] unless said otherwise). */
export interface ContextFacts {
  /** idf share of the groups matched by this sentence or its neighbours (previous and next) in the passage. */
  windowCoverage: number;
  /** idf share of the groups matched anywhere in the passage. */
  passageCoverage: number;
  /** idf share of the groups this sentence matches that no other sentence of its passage matches. */
  uniqueCoverage: number;
  /** Highest idf among the matched groups / highest idf of all groups. */
  maxIdfShare: number;
  /** Share of the question's content words found verbatim (lower-cased) in the sentence. */
  exactShare: number;
  /** Share of the question's adjacent content-word pairs found adjacent in the sentence. */
  bigramShare: number;
  /** Share of the question's names and numbers (capitalised inside the question, or with digits) found verbatim; 0 when it has none. */
  nameShare: number;
  /** 1 when the question has names or numbers at all. */
  hasNames: number;
  /** 1 when the passage belongs to the same document as the first passage. */
  sameDocAsTop: number;
  /** 1 when the same sentence was already scored in an earlier (higher-ranked) passage. */
  repeated: number;
  /** Coverage with each group's idf × query weight (translations and context groups weigh less). */
  weightedCoverage: number;
  /** Coverage with the corpus-independent specificity × weight of src/search/confidence.ts. */
  specCoverage: number;
  /** idf coverage of the previous and of the next sentence of the passage (0 at the ends). */
  prevCoverage: number;
  nextCoverage: number;
}

const content = (norm: string) => norm.length >= 2 && !isStopword(norm, 'de') && !isStopword(norm, 'en');

/**
 * Context facts for every sentence of `units` (any order; passages are told apart by `passage`).
 * @param idfs idf of each query group (same order as `matchedGroups`).
 * @returns one {@link ContextFacts} per unit, same order.
 */
export function contextFacts(question: string, groups: readonly QueryGroup[], idfs: number[], units: SentenceUnit[]): ContextFacts[] {
  const mass = idfs.reduce((a, b) => a + (b ?? 1), 0) || 1;
  const maxIdf = Math.max(1e-9, ...idfs.map((x) => x ?? 1));
  const qTokens = tokenize(question);
  const qWords = [...new Set(qTokens.map((t) => t.norm).filter(content))];
  const qPairs = new Set<string>();
  for (let i = 1; i < qTokens.length; i++) if (content(qTokens[i - 1].norm) && content(qTokens[i].norm)) qPairs.add(qTokens[i - 1].norm + ' ' + qTokens[i].norm);
  const qNames = [...new Set(qTokens.filter((t, i) => /\d/.test(t.norm) || (i > 0 && t.capitalized && content(t.norm))).map((t) => t.norm))];
  const byPassage = new Map<number, number[]>();
  units.forEach((u, i) => {
    const l = byPassage.get(u.passage);
    if (l) l.push(i);
    else byPassage.set(u.passage, [i]);
  });
  let topDoc: string | undefined;
  let topRank = Infinity;
  for (const u of units) if (u.passage < topRank) [topRank, topDoc] = [u.passage, u.docId];
  const seen = new Map<string, number>();
  const share = (flags: boolean[]) => flags.reduce((a, f, g) => a + (f ? idfs[g] ?? 1 : 0), 0) / mass;
  const weighted = (flags: boolean[], w: (g: number) => number) => {
    let all = 0;
    let hit = 0;
    flags.forEach((f, g) => {
      all += w(g);
      if (f) hit += w(g);
    });
    return all > 0 ? hit / all : 0;
  };
  const idfWeight = (g: number) => (idfs[g] ?? 1) * (groups[g]?.weight ?? 1);
  const specWeight = (g: number) => (groups[g]?.specificity ?? 1) * (groups[g]?.weight ?? 1);
  return units.map((u, i) => {
    const list = byPassage.get(u.passage)!;
    const k = list.indexOf(i);
    const near = [list[k - 1], i, list[k + 1]].filter((x) => x !== undefined).map((x) => units[x]);
    const union = (arr: SentenceUnit[]) => u.matchedGroups.map((_, g) => arr.some((x) => x.matchedGroups[g]));
    const others = list.filter((x) => x !== i).map((x) => units[x]);
    const unique = u.matchedGroups.map((m, g) => m && !others.some((x) => x.matchedGroups[g]));
    let maxMatched = 0;
    u.matchedGroups.forEach((m, g) => (m ? (maxMatched = Math.max(maxMatched, idfs[g] ?? 1)) : 0));
    const words = new Set(u.tokens.map((t) => t.norm));
    let pairs = 0;
    for (let j = 1; j < u.tokens.length; j++) if (qPairs.has(u.tokens[j - 1].norm + ' ' + u.tokens[j].norm)) pairs++;
    const key = `${u.docId}:${u.start}:${u.end}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, u.passage);
    return {
      windowCoverage: share(union(near)),
      passageCoverage: share(union(list.map((x) => units[x]))),
      uniqueCoverage: share(unique),
      maxIdfShare: maxMatched / maxIdf,
      exactShare: qWords.length ? qWords.filter((w) => words.has(w)).length / qWords.length : 0,
      bigramShare: qPairs.size ? Math.min(1, pairs / qPairs.size) : 0,
      nameShare: qNames.length ? qNames.filter((w) => words.has(w)).length / qNames.length : 0,
      hasNames: qNames.length ? 1 : 0,
      sameDocAsTop: u.docId === topDoc ? 1 : 0,
      repeated: first !== undefined && first < u.passage ? 1 : 0,
      weightedCoverage: weighted(u.matchedGroups, idfWeight),
      specCoverage: weighted(u.matchedGroups, specWeight),
      prevCoverage: k > 0 ? share(units[list[k - 1]].matchedGroups) : 0,
      nextCoverage: k + 1 < list.length ? share(units[list[k + 1]].matchedGroups) : 0,
    };
  });
}

/** German separable and inseparable-looking verb particles, umlauts folded as the stems fold them. */
const PARTICLES = ['zusammen', 'zuruck', 'zurück', 'wieder', 'weiter', 'vorbei', 'heraus', 'herein', 'hervor', 'hinzu', 'durch', 'statt', 'fest', 'fort', 'teil', 'nach', 'auf', 'aus', 'bei', 'ein', 'her', 'hin', 'los', 'mit', 'vor', 'weg', 'ab', 'an', 'um', 'zu', 'ge'];
/** Verb endings the Snowball German stemmer leaves on past forms ("spielt", "beendet", "produziert"). */
const PAST_ENDINGS = ['ert', 'et', 't'];
const MIN_REST = 4;

/**
 * Variants of a German Snowball stem that bridge verb forms the stemmer keeps apart: separable
 * particles, the participle "ge-" and "zu" ("wiederherzustell" → "stell", "gespielt" → "spielt")
 * and past-tense endings ("spielt" → "spiel", "produziert" → "produzi"). Applied to both the
 * question's terms and the sentence's, a question's "spielen" meets a sentence's "gespielt".
 * Only variants of at least 4 letters are made; the stem itself is always first.
 * @returns the stem and its variants (no duplicates; at most a few dozen).
 */
export function germanVariants(stem: string): string[] {
  const out = new Set<string>([stem]);
  if (stem.length > 30 || /\d/.test(stem)) return [stem];
  const bare: string[] = [stem];
  for (let i = 0; i < bare.length && i < 12; i++) {
    const x = bare[i];
    for (const p of PARTICLES) {
      if (x.length - p.length >= MIN_REST && x.startsWith(p)) {
        const rest = x.slice(p.length);
        if (!out.has(rest)) {
          out.add(rest);
          bare.push(rest);
        }
      }
    }
  }
  for (const x of bare) for (const e of PAST_ENDINGS) if (x.length - e.length >= MIN_REST && x.endsWith(e)) out.add(x.slice(0, -e.length));
  return [...out];
}
