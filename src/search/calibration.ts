/**
 * Choosing the abstention threshold from labelled data (used by scripts/calibrate.ts).
 *
 * Each observation is one question asked of one pool: its confidence (the top passage's
 * `coverage`), whether the pool holds its answer, and — for answerable ones — whether the answer's
 * paragraph was among the top 5 passages. Observations come in *regimes* (corpus sizes and
 * kinds); every regime counts equally, whatever its number of questions, so that the threshold
 * fits a one-document corpus as well as a large one.
 *
 * Cost model, per regime, for threshold t (abstain when confidence < t):
 *   cost(t) = (1 − π) · lost(t) + π · answered(t)
 * where π is the assumed share of unanswerable questions, lost(t) the share of answerable
 * questions that were retrieved correctly (gold paragraph in the top 5) but abstained on, and
 * answered(t) the share of unanswerable questions that were not abstained on. Abstaining on an
 * answerable question whose passages were wrong anyway costs nothing. The chosen threshold
 * minimises the mean cost over regimes, averaged over a ±{@link SMOOTHING} window: coverage
 * values pile up at simple fractions (1/3, 1/2 of equally weighted words), so the raw optimum
 * can sit right below a cliff where a slightly different corpus loses many answers (ties: the
 * middle of the best range).
 */

/** Half-width of the window over which the cost is averaged before taking the minimum. */
export const SMOOTHING = 0.02;

/** One question asked of one pool. */
export interface Observation {
  regime: string;
  confidence: number;
  answerable: boolean;
  /** Answerable and the gold paragraph was among the top-5 passages. */
  retrieved: boolean;
}

/** Abstention quality at one threshold, for one regime or pooled. */
export interface AbstentionStats {
  threshold: number;
  /** Share of abstentions that were on unanswerable questions (classes as sampled). */
  precision: number;
  /** Share of unanswerable questions abstained on. */
  recall: number;
  /** Share of answerable questions abstained on. */
  falseAbstention: number;
  /** Share of answerable questions retrieved correctly (top 5) but abstained on. */
  lost: number;
  /** The cost above (regime-averaged when pooled). */
  cost: number;
}

/** Options of {@link chooseThreshold}. */
export interface CalibrationOptions {
  /** Assumed share π of unanswerable questions among those asked (default 0.2). */
  unanswerableShare?: number;
  /** Candidate thresholds (default 0, 0.01, …, 1). */
  grid?: number[];
}

function statsOf(obs: Observation[], t: number, pi: number): AbstentionStats {
  const pos = obs.filter((o) => o.answerable);
  const neg = obs.filter((o) => !o.answerable);
  const abst = (o: Observation) => o.confidence < t;
  const abstNeg = neg.filter(abst).length;
  const abstPos = pos.filter(abst).length;
  const lost = pos.length ? pos.filter((o) => o.retrieved && abst(o)).length / pos.length : 0;
  const recall = neg.length ? abstNeg / neg.length : 0;
  return {
    threshold: t,
    precision: abstNeg + abstPos ? abstNeg / (abstNeg + abstPos) : 1,
    recall,
    falseAbstention: pos.length ? abstPos / pos.length : 0,
    lost,
    cost: (1 - pi) * lost + pi * (neg.length ? 1 - recall : 0),
  };
}

/** Per-regime statistics at threshold `t`, plus `all` (pooled counts, regime-averaged cost). */
export function abstentionStats(obs: Observation[], t: number, opts: CalibrationOptions = {}): Record<string, AbstentionStats> {
  const pi = opts.unanswerableShare ?? 0.2;
  const regimes = [...new Set(obs.map((o) => o.regime))];
  const out: Record<string, AbstentionStats> = {};
  for (const r of regimes) out[r] = statsOf(obs.filter((o) => o.regime === r), t, pi);
  const all = statsOf(obs, t, pi);
  all.cost = regimes.length ? regimes.reduce((a, r) => a + out[r].cost, 0) / regimes.length : 0;
  out.all = all;
  return out;
}

/**
 * The threshold with the lowest regime-averaged cost (see module doc).
 * @throws RangeError when there are no observations or no unanswerable ones.
 */
export function chooseThreshold(obs: Observation[], opts: CalibrationOptions = {}): { threshold: number; stats: Record<string, AbstentionStats> } {
  if (obs.length === 0) throw new RangeError('no observations to calibrate on');
  if (!obs.some((o) => !o.answerable)) throw new RangeError('calibration needs unanswerable questions');
  const grid = opts.grid ?? Array.from({ length: 101 }, (_, i) => i / 100);
  const raw = grid.map((t) => abstentionStats(obs, t, opts).all.cost);
  const costs = grid.map((t) => {
    const near = raw.filter((_, j) => Math.abs(grid[j] - t) <= SMOOTHING + 1e-9);
    return near.reduce((a, b) => a + b, 0) / near.length;
  });
  const best = Math.min(...costs);
  const tied = grid.filter((_, i) => costs[i] <= best + 1e-12);
  // The middle of the (first) range of optimal thresholds.
  const first = grid.indexOf(tied[0]);
  let last = first;
  while (last + 1 < grid.length && costs[last + 1] <= best + 1e-12) last++;
  const threshold = Math.round(((grid[first] + grid[last]) / 2) * 1000) / 1000;
  return { threshold, stats: abstentionStats(obs, threshold, opts) };
}
