/**
 * Near misses: the documents are on the question's topic, but the sentence the extractor chose
 * lacks the question's specific part (its fact was never written down, or sits in a sentence that
 * is not there). Such a question must be answered "not stated", not with a neighbouring fact.
 *
 * The decision is a logistic regression (src/answer/learned.ts `logistic`) over lexical facts of
 * the pair (question, chosen sentence): how much of the question's idf mass the sentence covers,
 * whether the rarest groups are among the uncovered ones, how much other sentences of its passage
 * or of other passages cover that it does not, which groups it alone names, and its coverage of
 * the groups some document holds at all. The weights are data (src/answer/near-miss-weights.json),
 * written by scripts/train-not-stated.ts from the TUNING part of the XQuAD dev split only
 * (answered questions against near-miss questions whose answer sentence is cut; 5-fold
 * cross-validation by article), with the threshold set on that part so that at most 0.6 % of the
 * answerable questions whose gold paragraph ranks first are newly refused. Facts of the typed
 * candidate (its score, its distance to the matched words), the answer type, the passage scores
 * and the question length were tried and left out: no gain out of fold (see the script).
 * Measured figures are in the script's docstring.
 */
import weights from './near-miss-weights.json' with { type: 'json' };
import { logistic, type LogisticModel } from './learned.js';

/** What {@link nearMissFeatures} reads of the chosen sentence and the other sentences scored. */
export interface PickEvidence {
  /** idf of each query group (question-frame words already 0), same order as the match arrays. */
  idfs: number[];
  /** Each group's corpus-independent specificity (src/search/confidence.ts; missing = 1). */
  specificity: number[];
  /** Per group: no document holds it (an untranslated word, or a fact no document states). */
  unseen: boolean[];
  /** Per group: matched by the chosen (quoted) sentence. */
  pickGroups: boolean[];
  /** Coverage (matched idf / all idf, 0..1) of the chosen sentence. */
  coverage: number;
  /** Every other sentence of the passages given: its matched groups, coverage and whether it is in the chosen sentence's passage. */
  others: { samePassage: boolean; groups: boolean[]; coverage: number }[];
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
  'specUncovered',
  'uniqueCover',
  'uniqueInPassage',
  'unseenShare',
  'seenCoverage',
] as const;

/**
 * Feature vector of one chosen sentence (same order as {@link NEAR_MISS_FEATURES}; every value in
 * [0, 1] except the bias). Per group i with idf x > 0 (question-frame words weigh 0):
 * - `coverage`: the sentence's idf share; `passageGap` / `anyGap`: idf share of the groups that
 *   another sentence of its passage / of any passage matches and it does not;
 * - `rareUncovered`: highest idf of an unmatched group / highest idf; `rarestMissing`: the rarest
 *   group is unmatched; `uncoveredShare`: unmatched groups / groups; `heavyUncovered`: idf share
 *   of unmatched groups weighing at least half the highest idf; `specUncovered`: unmatched share
 *   of the specificity mass;
 * - `secondRel`: best other sentence's coverage / this one's (capped at 2, halved);
 * - `uniqueCover` / `uniqueInPassage`: idf share of the groups it alone matches (no other
 *   sentence / none of its passage): the question's specific part is usually named only by the
 *   sentence that answers it;
 * - `unseenShare`: idf share of groups no document holds; `seenCoverage`: its coverage of the rest.
 */
export function nearMissFeatures(e: PickEvidence): number[] {
  const mass = e.idfs.reduce((a, b) => a + b, 0) || 1;
  const top = Math.max(0, ...e.idfs) || 1;
  const rarest = e.idfs.indexOf(Math.max(...e.idfs));
  let passageGap = 0, anyGap = 0, rare = 0, heavy = 0, content = 0, uncovered = 0;
  let spec = 0, specMass = 0, unique = 0, uniqueHere = 0, unseen = 0, seenMass = 0, seenMatched = 0;
  e.idfs.forEach((x, i) => {
    if (x <= 0) return;
    const by = e.others.filter((o) => o.groups[i]);
    const w = e.specificity[i] ?? 1;
    content++;
    specMass += w;
    if (e.unseen[i]) unseen += x;
    else seenMass += x;
    if (e.pickGroups[i]) {
      if (by.length === 0) unique += x;
      if (!by.some((o) => o.samePassage)) uniqueHere += x;
      if (!e.unseen[i]) seenMatched += x;
      return;
    }
    uncovered++;
    spec += w;
    rare = Math.max(rare, x / top);
    if (x >= 0.5 * top) heavy += x;
    if (by.length > 0) anyGap += x;
    if (by.some((o) => o.samePassage)) passageGap += x;
  });
  const second = Math.max(0, ...e.others.map((o) => o.coverage));
  return [
    1,
    e.coverage,
    passageGap / mass,
    anyGap / mass,
    rare,
    rarest >= 0 && e.idfs[rarest] > 0 && !e.pickGroups[rarest] ? 1 : 0,
    content ? uncovered / content : 0,
    heavy / mass,
    e.coverage > 0 ? Math.min(2, second / e.coverage) / 2 : 1,
    specMass > 0 ? spec / specMass : 0,
    unique / mass,
    uniqueHere / mass,
    unseen / mass,
    seenMass > 0 ? seenMatched / seenMass : 0,
  ];
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
