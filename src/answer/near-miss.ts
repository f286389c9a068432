/**
 * Near misses: the documents are on the question's topic, but the sentence the extractor chose
 * lacks the question's specific part (its fact was never written down, or sits in a sentence that
 * is not there). Such a question must be answered "not stated", not with a neighbouring fact.
 *
 * The decision is a logistic regression (src/answer/learned.ts `logistic`) over facts of the pair
 * (question, chosen sentence): how much of the question's idf mass the sentence covers, whether
 * its rarest groups are among the uncovered ones, how much more the sentence's passage or another
 * passage covers, the typed candidate and its distance to the matched words, and the answer type.
 * The weights are data (src/answer/near-miss-weights.json), written by scripts/train-not-stated.ts
 * from the TUNING part of the XQuAD dev split only (answered questions against near-miss
 * questions whose answer sentence is cut; cross-validated by article); the threshold is set on
 * that part so that few answerable questions are refused (see the script's docstring for the
 * measured figures).
 */
import weights from './near-miss-weights.json' with { type: 'json' };
import { logistic, type LogisticModel } from './learned.js';

/** What {@link nearMissFeatures} reads of the chosen sentence and its neighbours. */
export interface PickEvidence {
  /** idf of each query group (question-frame words already 0), same order as the match arrays. */
  idfs: number[];
  /** Each group's corpus-independent specificity (src/search/confidence.ts; missing = 1). */
  specificity: number[];
  /** Per group: matched by the chosen (quoted) sentence. */
  pickGroups: boolean[];
  /** Per group: matched by any sentence of the chosen sentence's passage. */
  passageGroups: boolean[];
  /** Per group: matched by any sentence of any passage given. */
  anyGroups: boolean[];
  /** Matched groups of every other sentence scored, and whether it is in the chosen sentence's passage. */
  others: { samePassage: boolean; groups: boolean[] }[];
  /** Per group: no document holds it (an untranslated word, or a fact no document states). */
  unseen: boolean[];
  /** Coverage (matched idf / all idf, 0..1) of the chosen sentence. */
  coverage: number;
  /** Best coverage of another sentence (any passage; 0 when none). */
  secondCoverage: number;
  /** The question's expected answer type (src/answer/question.ts AnswerType). */
  type: string;
  /** Score of the chosen typed candidate (0..1) and its token distance to the nearest matched word; null without one. */
  candidate: number | null;
  distance: number | null;
  /** 0-based rank of the chosen sentence's passage, and retrieval score of that passage and the second one relative to the first. */
  passageRank: number;
  pickScoreRel: number;
  secondScoreRel: number;
}

/** Names of the features, in the order of {@link nearMissFeatures}. */
export const NEAR_MISS_FEATURES = [
  'bias',
  'coverage',
  'passageGap',
  'anyGap',
  'rareUncovered',
  'rarestMissing',
  'uncoveredShare',
  'heavyUncovered',
  'secondRel',
  'candidate',
  'distance',
  'otherPassage',
  'pickScoreRel',
  'secondScoreRel',
  'groups',
  'specUncovered',
  'uniqueCover',
  'uniqueInPassage',
  'unseenShare',
  'seenCoverage',
  'seenUncovered',
  'typeNumber',
  'typeDate',
  'typeName',
  'typeOther',
] as const;

const coverOf = (idfs: number[], m: boolean[], mass: number) => idfs.reduce((a, x, i) => a + (m[i] ? x : 0), 0) / mass;

/**
 * Feature vector of one chosen sentence (same order as {@link NEAR_MISS_FEATURES}; all values in
 * about [0, 1]). `rareUncovered`: the highest idf of an unmatched group / the highest idf;
 * `heavyUncovered`: idf share of unmatched groups weighing at least half the highest idf;
 * `passageGap`/`anyGap`: coverage of the passage's / all passages' union minus the sentence's.
 */
export function nearMissFeatures(e: PickEvidence): number[] {
  const mass = e.idfs.reduce((a, b) => a + b, 0) || 1;
  const top = Math.max(0, ...e.idfs) || 1;
  let rare = 0;
  let heavy = 0;
  let content = 0;
  let uncovered = 0;
  e.idfs.forEach((x, i) => {
    if (x <= 0) return;
    content++;
    if (e.pickGroups[i]) return;
    uncovered++;
    rare = Math.max(rare, x / top);
    if (x >= 0.5 * top) heavy += x;
  });
  const rarest = e.idfs.indexOf(Math.max(...e.idfs));
  // Uncovered share of the corpus-independent specificity mass.
  let spec = 0;
  let specMass = 0;
  e.idfs.forEach((x, i) => {
    if (x <= 0) return;
    const w = e.specificity[i] ?? 1;
    specMass += w;
    if (e.pickGroups[i]) return;
    spec += w;
  });
  // Groups the chosen sentence alone names (no other sentence, or none of its passage): the
  // question's specific part is usually named only by the sentence that answers it.
  let unique = 0;
  let uniqueHere = 0;
  e.idfs.forEach((x, i) => {
    if (x <= 0 || !e.pickGroups[i]) return;
    const by = e.others.filter((o) => o.groups[i]);
    if (by.length === 0) unique += x;
    if (!by.some((o) => o.samePassage)) uniqueHere += x;
  });
  // Coverage among the groups some document holds (an unseen group cannot be matched anywhere).
  let seenMass = 0;
  let seenMatched = 0;
  let unseenMass = 0;
  e.idfs.forEach((x, i) => {
    if (e.unseen[i]) unseenMass += x;
    else {
      seenMass += x;
      if (e.pickGroups[i]) seenMatched += x;
    }
  });
  const t = e.type;
  return [
    1,
    e.coverage,
    Math.max(0, coverOf(e.idfs, e.passageGroups, mass) - e.coverage),
    Math.max(0, coverOf(e.idfs, e.anyGroups, mass) - e.coverage),
    rare,
    rarest >= 0 && !e.pickGroups[rarest] ? 1 : 0,
    content ? uncovered / content : 0,
    heavy / mass,
    e.coverage > 0 ? Math.min(2, e.secondCoverage / e.coverage) / 2 : 1,
    e.candidate ?? 0,
    e.distance === null ? 1 : Math.min(e.distance, 20) / 20,
    e.passageRank > 0 ? 1 : 0,
    e.pickScoreRel,
    e.secondScoreRel,
    Math.min(content, 10) / 10,
    specMass > 0 ? spec / specMass : 0,
    unique / mass,
    uniqueHere / mass,
    unseenMass / mass,
    seenMass > 0 ? seenMatched / seenMass : 0,
    seenMass > 0 ? 1 - seenMatched / seenMass : 0,
    t === 'number' || t === 'duration' ? 1 : 0,
    t === 'date' ? 1 : 0,
    t === 'person' || t === 'organisation' || t === 'place' ? 1 : 0,
    t === 'other' || t === 'yesno' ? 1 : 0,
  ];
}

/** Token distance from the candidate tokens `[from, to]` to the nearest matched token outside them (null when none is matched). */
export function candidateDistance(from: number, to: number, matched: boolean[]): number | null {
  let best: number | null = null;
  matched.forEach((m, i) => {
    if (!m || (i >= from && i <= to)) return;
    const d = i < from ? from - i : i - to;
    if (best === null || d < best) best = d;
  });
  return best;
}

/** A committed near-miss model: logistic weights plus the P(answered) below which the reply is "not stated". */
export type NearMissModel = LogisticModel & { threshold: number };

/** The committed weights file (scripts/train-not-stated.ts sets `model` to null while it collects rows). */
export const NEAR_MISS_WEIGHTS = weights as { model: NearMissModel | null };

/** The committed model when it fits the current feature list (null otherwise: no effect). */
export function nearMissModel(): NearMissModel | null {
  const m = NEAR_MISS_WEIGHTS.model;
  return m && m.features.join() === NEAR_MISS_FEATURES.join() ? m : null;
}

/** True when the committed model judges the chosen sentence a near miss (P(answered) below its threshold). */
export function isNearMiss(features: number[], model: NearMissModel | null = nearMissModel()): boolean {
  return model !== null && logistic(model, features) < model.threshold;
}
