/**
 * The learned answer ranker: a logistic regression (Cox 1958; plain sigmoid of a weighted feature
 * sum) over hand-made features of each answer sentence, trained by scripts/train-ranker.ts on the
 * TUNING part of the XQuAD dev split only (scripts/lib/split.ts). Its weights are data in
 * src/answer/ranker-weights.json; the reporting-part figures are in that script's docstring.
 *
 * A sentence is labelled positive in training when its quoted span contains the gold answer text.
 */
import weights from './ranker-weights.json' with { type: 'json' };

/** Names of the sentence features, in the order of {@link sentenceFeatures}. */
export const SENTENCE_FEATURES = [
  'bias',
  'coverage',
  'relCoverage',
  'shownCoverage',
  'candidate',
  'hasCandidate',
  'typedNoCandidate',
  'passageRank',
  'firstPassage',
  'passageScoreRel',
  'sentenceIndex',
  'firstSentence',
  'lengthTokens',
  'dependent',
  'handTotal',
  'relHandTotal',
  'isBestCoverage',
  'unmatchedShare',
  'groupShare',
  'rarest',
  'density',
] as const;

/** What {@link sentenceFeatures} reads of one sentence (all plain numbers). */
export interface SentenceFacts {
  coverage: number;
  maxCoverage: number;
  shownCoverage: number;
  /** Best typed candidate's score in [0, 1], 0 when none. */
  candidate: number;
  hasCandidate: boolean;
  typed: boolean;
  /** 0-based passage rank. */
  passage: number;
  /** Passage retrieval score / the first passage's score. */
  passageScoreRel: number;
  /** 0-based sentence index within its passage. */
  sentenceIndex: number;
  tokens: number;
  dependent: boolean;
  /** The hand-set score of rank.ts (coverage + candidate, decayed by rank) and the best one of all sentences. */
  handTotal: number;
  maxHandTotal: number;
  /** Share of the sentence's tokens that match no question group. */
  unmatchedShare: number;
  /** Share of the query groups matched (by count, not idf). */
  groupShare: number;
  /** True when the highest-idf query group is matched. */
  rarest: boolean;
  /** Matched tokens / the window from the first to the last matched token (Tellex et al. 2003 density). */
  density: number;
}

/** Feature vector (same order as {@link SENTENCE_FEATURES}). */
export function sentenceFeatures(f: SentenceFacts): number[] {
  return [
    1,
    f.coverage,
    f.maxCoverage > 0 ? f.coverage / f.maxCoverage : 0,
    f.shownCoverage,
    f.candidate,
    f.hasCandidate ? 1 : 0,
    f.typed && !f.hasCandidate ? 1 : 0,
    Math.min(f.passage, 10) / 10,
    f.passage === 0 ? 1 : 0,
    f.passageScoreRel,
    Math.min(f.sentenceIndex, 10) / 10,
    f.sentenceIndex === 0 ? 1 : 0,
    Math.min(f.tokens, 80) / 40,
    f.dependent ? 1 : 0,
    f.handTotal,
    f.maxHandTotal > 0 ? f.handTotal / f.maxHandTotal : 0,
    f.maxCoverage > 0 && f.coverage >= f.maxCoverage - 1e-9 ? 1 : 0,
    f.unmatchedShare,
    f.groupShare,
    f.rarest ? 1 : 0,
    f.density,
  ];
}

/** Weights of a logistic regression: one per feature name. */
export interface LogisticModel {
  features: readonly string[];
  weights: number[];
}

/** σ(w·x): probability in (0, 1). @throws Error when the vector length does not fit the model. */
export function logistic(model: LogisticModel, x: number[]): number {
  if (x.length !== model.weights.length) throw new Error(`feature vector has ${x.length} values; the model expects ${model.weights.length}`);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += model.weights[i] * x[i];
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fit a logistic regression by full-batch gradient descent on the mean log loss with L2 penalty
 * (the bias is not penalised). Linear in rows × features per epoch.
 * @param rows feature vectors (same length), `labels` 0/1 of the same count.
 */
export function fitLogistic(names: readonly string[], rows: number[][], labels: number[], epochs = 400, rate = 0.5, l2 = 1e-3): LogisticModel {
  const d = names.length;
  const w = new Array<number>(d).fill(0);
  const n = rows.length || 1;
  for (let e = 0; e < epochs; e++) {
    const g = new Array<number>(d).fill(0);
    for (let r = 0; r < rows.length; r++) {
      const x = rows[r];
      let z = 0;
      for (let i = 0; i < d; i++) z += w[i] * x[i];
      const err = 1 / (1 + Math.exp(-z)) - labels[r];
      for (let i = 0; i < d; i++) g[i] += err * x[i];
    }
    for (let i = 0; i < d; i++) w[i] -= rate * (g[i] / n + (i === 0 ? 0 : l2 * w[i]));
  }
  return { features: names, weights: w.map((x) => Math.round(x * 1e4) / 1e4) };
}

interface WeightsFile {
  sentence: LogisticModel | null;
  candidate: LogisticModel | null;
  /** P(the chosen sentence answers) from its sentence features; below `threshold` the reply is "not stated". */
  notStated: (LogisticModel & { threshold: number }) | null;
}

/** The committed models (null when not trained yet: the hand-set scores of rank.ts decide). */
export const RANKER: WeightsFile = weights as WeightsFile;

/** The sentence model, when it was trained with the current feature list. */
export function sentenceModel(): LogisticModel | null {
  const m = RANKER.sentence;
  return m && m.features.join() === SENTENCE_FEATURES.join() ? m : null;
}

/** The "not stated" model, when it was trained with the current feature list. */
export function notStatedModel(): (LogisticModel & { threshold: number }) | null {
  const m = RANKER.notStated;
  return m && m.features.join() === SENTENCE_FEATURES.join() ? m : null;
}
