/**
 * Extractive, cited summaries.
 *
 * Pipeline (pure; the caller supplies sentences, their stemmed content terms and optionally their
 * embeddings):
 *  1. Centrality of each sentence:
 *     - lexical (default): LexRank (G. Erkan & D. R. Radev, "LexRank: Graph-based Lexical Centrality
 *       as Salience in Text Summarization", JAIR 22, 2004). Sentences are tf-idf vectors over the
 *       given terms; edges are their cosine similarities (continuous LexRank, or a binary graph
 *       when `threshold` is given); centrality is the stationary distribution of the damped random
 *       walk, found by power iteration.
 *     - embeddings (when `vectors` are given): cosine similarity of each sentence vector to the
 *       centroid of all (normalised) sentence vectors.
 *  2. A mild lead prior for news: the k-th sentence (0-based) of each document gets a bonus of
 *     POSITION_WEIGHT / (k + 1). News is written as an inverted pyramid, so early sentences are
 *     slightly more likely to be summary-worthy; the weight is kept small so that a central
 *     sentence later in the text still wins over a peripheral lead.
 *  3. Maximal Marginal Relevance (J. Carbonell & J. Goldstein, SIGIR 1998) picks `count`
 *     sentences, trading relevance against similarity to what is already picked (λ = MMR_LAMBDA);
 *     near-duplicates (similarity ≥ DUPLICATE_SIMILARITY) are never picked twice.
 *  4. The picked sentences are returned in document order; {@link renderSummary} turns them into
 *     text with [n] citations and verbatim {@link Citation}s.
 *
 * {@link SummaryCache} memoises rendered summaries under a key derived from the documents'
 * content versions and the options, so any change of the corpus changes the key.
 */
import { createHash } from 'node:crypto';
import { displayText } from '../text/normalize.js';
import type { Citation, DocumentRef, Summary } from './types.js';

/** MMR trade-off λ: 1 = relevance only, 0 = diversity only (Carbonell & Goldstein 1998). */
export const MMR_LAMBDA = Number(process.env.LAM ?? 0.7);
/**
 * LexRank damping d: probability of a random jump (Erkan & Radev 2004 use d in [0.1, 0.2]; 0.15
 * is the PageRank value).
 */
export const LEXRANK_DAMPING = 0.15;
/** Power iteration stops when the L1 change of the score vector falls below this. */
export const LEXRANK_TOLERANCE = 1e-9;
/** Power iteration stops after this many steps at most. */
export const LEXRANK_MAX_ITERATIONS = 200;
/** Weight of the lead prior (bonus POSITION_WEIGHT / (k+1) for the k-th sentence of a document). */
export const POSITION_WEIGHT = Number(process.env.PW ?? 0.15);
/** Candidates at least this similar (cosine) to an already picked sentence are dropped. */
export const DUPLICATE_SIMILARITY = 0.9;
/**
 * Bumped whenever the algorithm or its constants change, so cached summaries made by an older
 * version are not served.
 */
export const SUMMARY_ALGORITHM_VERSION = 1;

/** A sentence the summariser can pick; `text === documentText.slice(start, end)`. */
export interface SummarySentence {
  doc: DocumentRef;
  start: number;
  end: number;
  text: string;
  /** Human-readable position, e.g. "¶3". */
  position: string;
  /** Stemmed content tokens of the sentence (stopwords removed), as made by the caller. */
  terms: string[];
}

/** A picked sentence with its relevance (0..1: normalised centrality plus lead prior). */
export interface ScoredSentence extends SummarySentence {
  score: number;
}

export interface SummarizeOptions {
  /** How many sentences to pick at most (integer ≥ 0). */
  count: number;
  /**
   * Upper bound on the length (UTF-16 code units) of the text {@link renderSummary} makes from
   * the picked sentences, citation markers and separators included. Sentences that would not fit
   * are skipped, so fewer than `count` (even none) may be picked.
   */
  maxChars?: number;
  /** Optional sentence embeddings, one per sentence (same order); switches to centroid scoring. */
  vectors?: Float32Array[];
  /**
   * Lexical mode only: build a binary LexRank graph with edges where cosine ≥ threshold (Erkan &
   * Radev report 0.1 as a good value) instead of the continuous (weighted) graph.
   */
  threshold?: number;
}

/**
 * Pick the most central, mutually non-redundant sentences.
 * @param sentences candidates, in corpus order (documents in the order given, sentences in text
 *   order); may span several documents.
 * @returns the picked sentences in document order, each with its relevance `score`.
 * @throws RangeError when `count`/`maxChars`/`threshold` are invalid or `vectors` does not have one
 *   vector per sentence (all of equal, non-zero dimension).
 */
export function summarizeSentences(
  sentences: SummarySentence[],
  opts: SummarizeOptions,
): { picked: ScoredSentence[] } {
  const { count, maxChars, vectors, threshold } = opts;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
  if (maxChars !== undefined && !(Number.isFinite(maxChars) && maxChars >= 0)) {
    throw new RangeError(`maxChars must be a number ≥ 0, got ${maxChars}`);
  }
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
  }
  if (vectors !== undefined) {
    if (vectors.length !== sentences.length) {
      throw new RangeError(`vectors: expected ${sentences.length} (one per sentence), got ${vectors.length}`);
    }
    const dim = vectors[0]?.length ?? 0;
    if (sentences.length > 0 && (dim === 0 || vectors.some((v) => v.length !== dim))) {
      throw new RangeError('vectors must all have the same, non-zero dimension');
    }
  }
  const n = sentences.length;
  if (n === 0 || count === 0) return { picked: [] };

  const sim = vectors ? embeddingSimilarity(vectors) : tfidfSimilarity(sentences.map((s) => s.terms));
  const centrality = vectors ? centroidCentrality(vectors) : lexRank(sim, n, threshold);
  const relevance = withLeadPrior(sentences, normaliseByMax(centrality));

  const picked = mmrSelect(sentences, relevance, sim, count, maxChars);
  const docOrder = new Map<string, number>();
  for (const s of sentences) if (!docOrder.has(s.doc.id)) docOrder.set(s.doc.id, docOrder.size);
  picked.sort((a, b) => docOrder.get(sentences[a].doc.id)! - docOrder.get(sentences[b].doc.id)! || sentences[a].start - sentences[b].start);
  return { picked: picked.map((i) => ({ ...sentences[i], score: relevance[i] })) };
}

/** Dense symmetric similarity matrix, row-major n×n; diagonal 1 for non-empty rows. */
type SimMatrix = Float64Array;

/**
 * Cosine similarity of tf-idf vectors (the "idf-modified cosine" of Erkan & Radev 2004).
 * tf = raw count in the sentence; idf = ln((1 + N) / (1 + df)) + 1 over the N given sentences
 * (smoothed so that a term in every sentence still counts a little).
 */
function tfidfSimilarity(termLists: string[][]): SimMatrix {
  const n = termLists.length;
  const df = new Map<string, number>();
  const tfs = termLists.map((terms) => {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const idf = (t: string) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1;
  const weights = tfs.map((tf) => {
    const w = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const x = c * idf(t);
      w.set(t, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, x] of w) w.set(t, x / norm);
    return w;
  });
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (weights[i].size > 0) sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const [a, b] = weights[i].size <= weights[j].size ? [weights[i], weights[j]] : [weights[j], weights[i]];
      let dot = 0;
      for (const [t, x] of a) {
        const y = b.get(t);
        if (y !== undefined) dot += x * y;
      }
      sim[i * n + j] = sim[j * n + i] = dot;
    }
  }
  return sim;
}

function unit(v: Float32Array): Float64Array {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += v[k] * v[k];
  norm = Math.sqrt(norm);
  const out = new Float64Array(v.length);
  if (norm > 0) for (let k = 0; k < v.length; k++) out[k] = v[k] / norm;
  return out;
}

/** Cosine similarity of embeddings. */
function embeddingSimilarity(vectors: Float32Array[]): SimMatrix {
  const n = vectors.length;
  const units = vectors.map(unit);
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let dot = 0;
      const a = units[i];
      const b = units[j];
      for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
      sim[i * n + j] = sim[j * n + i] = dot;
    }
  }
  return sim;
}

/** Cosine of each (normalised) vector to the centroid of all normalised vectors, floored at 0. */
function centroidCentrality(vectors: Float32Array[]): Float64Array {
  const units = vectors.map(unit);
  const dim = units[0].length;
  const centroid = new Float64Array(dim);
  for (const u of units) for (let k = 0; k < dim; k++) centroid[k] += u[k] / units.length;
  let norm = 0;
  for (let k = 0; k < dim; k++) norm += centroid[k] * centroid[k];
  norm = Math.sqrt(norm);
  return Float64Array.from(units, (u) => {
    if (norm === 0) return 0;
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += u[k] * centroid[k];
    return Math.max(0, dot / norm);
  });
}

/**
 * LexRank (Erkan & Radev 2004): stationary distribution of p ← d/N + (1−d)·Mᵀp, where M is the
 * row-normalised similarity graph without self-loops (continuous weights, or 0/1 edges at
 * `threshold`). Sentences without any edge jump uniformly.
 */
function lexRank(sim: SimMatrix, n: number, threshold?: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const s = sim[i * n + j];
      const w = threshold === undefined ? Math.max(0, s) : s >= threshold && s > 0 ? 1 : 0;
      m[i * n + j] = w;
      rowSum += w;
    }
    for (let j = 0; j < n; j++) m[i * n + j] = rowSum > 0 ? m[i * n + j] / rowSum : 1 / n;
  }
  let p = new Float64Array(n).fill(1 / n);
  for (let iter = 0; iter < LEXRANK_MAX_ITERATIONS; iter++) {
    const next = new Float64Array(n).fill(LEXRANK_DAMPING / n);
    for (let i = 0; i < n; i++) {
      const pi = (1 - LEXRANK_DAMPING) * p[i];
      if (pi === 0) continue;
      for (let j = 0; j < n; j++) next[j] += pi * m[i * n + j];
    }
    let delta = 0;
    for (let j = 0; j < n; j++) delta += Math.abs(next[j] - p[j]);
    p = next;
    if (delta < LEXRANK_TOLERANCE) break;
  }
  return p;
}

function normaliseByMax(x: Float64Array): Float64Array {
  let max = 0;
  for (const v of x) if (v > max) max = v;
  return Float64Array.from(x, (v) => (max > 0 ? v / max : 0));
}

/** relevance = (1 − POSITION_WEIGHT)·centrality + POSITION_WEIGHT / (k + 1), k = index in its document. */
function withLeadPrior(sentences: SummarySentence[], centrality: Float64Array): Float64Array {
  const byDoc = new Map<string, number[]>();
  sentences.forEach((s, i) => {
    const list = byDoc.get(s.doc.id);
    if (list) list.push(i);
    else byDoc.set(s.doc.id, [i]);
  });
  const rank = new Int32Array(sentences.length);
  for (const list of byDoc.values()) {
    list.sort((a, b) => sentences[a].start - sentences[b].start);
    list.forEach((i, k) => (rank[i] = k));
  }
  const SW = Number(process.env.SW ?? 0);
  return Float64Array.from(centrality, (c, i) => {
    const spec = factDensity(sentences[i].text);
    return (1 - POSITION_WEIGHT - SW) * c + POSITION_WEIGHT / (rank[i] + 1) + SW * spec;
  });
}

/** min(1, distinct tokens containing a digit / 2). */
function factDensity(text: string): number {
  const set = new Set(text.match(/[\p{L}\d]*\d[\p{L}\d]*(?:[.,\-–][\p{L}\d]+)*/gu) ?? []);
  return Math.min(1, set.size / 2);
}

/** Greedy MMR selection; returns indices in pick order. */
function mmrSelect(
  sentences: SummarySentence[],
  relevance: Float64Array,
  sim: SimMatrix,
  count: number,
  maxChars: number | undefined,
): number[] {
  const n = sentences.length;
  const selected: number[] = [];
  const remaining = new Set<number>(Array.from({ length: n }, (_, i) => i));
  const seenTexts = new Set<string>();
  let used = 0; // rendered length of the selection so far
  while (selected.length < count && remaining.size > 0) {
    let best = -1;
    let bestScore = -Infinity;
    let bestRedundancy = 0;
    for (const i of remaining) {
      let redundancy = 0;
      for (const j of selected) redundancy = Math.max(redundancy, sim[i * n + j]);
      const score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy;
      if (score > bestScore) {
        best = i;
        bestScore = score;
        bestRedundancy = redundancy;
      }
    }
    remaining.delete(best);
    const display = displayText(sentences[best].text);
    if (display === '' || seenTexts.has(display.toLowerCase())) continue;
    if (selected.length > 0 && bestRedundancy >= DUPLICATE_SIMILARITY) continue;
    if (maxChars !== undefined) {
      const k = selected.length + 1;
      const cost = display.length + ` [${k}]`.length + (k > 1 ? 1 : 0);
      if (used + cost > maxChars) continue;
      used += cost;
    }
    seenTexts.add(display.toLowerCase());
    selected.push(best);
  }
  return selected;
}

/**
 * Render picked sentences (in the order given, normally document order) as summary text with
 * [n] markers: "Sentence one. [1] Sentence two. [2]". Sentences of different documents are
 * separated by a line break, sentences of one document by a space; whitespace inside a sentence
 * is collapsed for display, while each {@link Citation.quote} is the verbatim `text`.
 * @param doc the summarised document, or null for a summary of the whole (scoped) corpus.
 */
export function renderSummary(
  picked: Array<SummarySentence & { score?: number }>,
  doc: DocumentRef | null,
): Summary {
  const parts: string[] = [];
  const citations: Citation[] = [];
  picked.forEach((s, i) => {
    const n = i + 1;
    if (i > 0) parts.push(picked[i - 1].doc.id === s.doc.id ? ' ' : '\n');
    parts.push(`${displayText(s.text)} [${n}]`);
    citations.push({
      n,
      document: s.doc,
      quote: s.text,
      start: s.start,
      end: s.end,
      score: s.score ?? 0,
      position: s.position,
    });
  });
  return { document: doc, text: parts.join(''), citations, mode: 'extractive' };
}

/** What a cached summary depends on. */
export interface SummaryKeyParts {
  /** The summarised document's id, or null for the whole (scoped) corpus. */
  scope: string | null;
  /**
   * Every document whose sentences went into the summary, in the order given to the summariser,
   * with its content version (e.g. sha256 of the stored text). Adding, removing or changing a
   * document changes the key.
   */
  documents: Array<{ id: string; version: string }>;
  count: number;
  maxChars?: number;
  /** Embedding model id when vectors were used, else null/undefined (lexical LexRank). */
  embeddings?: string | null;
  /** LLM model when the summary text was rewritten by an LLM, else null/undefined. */
  llm?: string | null;
  /** Anything else the caller's output depends on (e.g. the reply language). */
  extra?: string;
}

/**
 * Cache key for a summary: sha256 (hex) over the canonical JSON of `parts` plus
 * {@link SUMMARY_ALGORITHM_VERSION}.
 */
export function summaryCacheKey(parts: SummaryKeyParts): string {
  const canonical = JSON.stringify([
    SUMMARY_ALGORITHM_VERSION,
    parts.scope,
    parts.documents.map((d) => [d.id, d.version]),
    parts.count,
    parts.maxChars ?? null,
    parts.embeddings ?? null,
    parts.llm ?? null,
    parts.extra ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * In-memory LRU cache of rendered summaries, keyed by {@link summaryCacheKey}. Because the key
 * includes every document's content version, a corpus change makes old entries unreachable; they
 * age out of the LRU (or call {@link SummaryCache.clear} when documents change).
 */
export class SummaryCache {
  private readonly entries = new Map<string, Summary>();
  /** Number of lookups that found an entry / found none. */
  hits = 0;
  misses = 0;

  /** @param maxEntries capacity (≥ 1); the least recently used entry is evicted beyond it. */
  constructor(readonly maxEntries = 256) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be an integer ≥ 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached summary for `key` (marks it recently used), or undefined. Counts a hit or miss. */
  get(key: string): Summary | undefined {
    const v = this.entries.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(key: string, summary: Summary): void {
    this.entries.delete(key);
    this.entries.set(key, summary);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Return the cached summary or make, store and return a new one. Errors of `make` propagate (nothing is stored). */
  async getOrCreate(key: string, make: () => Summary | Promise<Summary>): Promise<Summary> {
    const hit = this.get(key);
    if (hit) return hit;
    const made = await make();
    this.set(key, made);
    return made;
  }

  /** Drop every entry (e.g. after documents were added, changed or removed). */
  clear(): void {
    this.entries.clear();
  }
}
