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
 *     near-duplicates (tf-idf cosine ≥ DUPLICATE_SIMILARITY) are never picked twice. Sentences of
 *     one paragraph count as at least SAME_PARAGRAPH_SIMILARITY similar (when the caller gives
 *     paragraph numbers). A sentence that starts with its document's title (a title derived from
 *     the first sentence) is not picked, because the title heads the summary anyway; it counts as
 *     already picked, so sentences repeating it are penalised too.
 *  4. The picked sentences are returned in document order; {@link renderSummary} turns them into
 *     text with [n] citations and verbatim {@link Citation}s.
 *
 * {@link SummaryCache} memoises rendered summaries under a key derived from the documents'
 * content versions and the options, so any change of the corpus changes the key.
 */
import { createHash } from 'node:crypto';
import { escapeMarkdown } from '../text/markdown.js';
import { displayText } from '../text/normalize.js';
import type { Citation, DocumentRef, Summary } from './types.js';

/**
 * MMR trade-off λ: 1 = relevance only, 0 = diversity only (Carbonell & Goldstein 1998). 0.5 weighs
 * both equally: a summary of a few sentences should cover distinct facts of the text rather than
 * three wordings of its most central one.
 */
export const MMR_LAMBDA = 0.5;
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
export const POSITION_WEIGHT = 0.1;
/**
 * Sentences of the same paragraph count as at least this similar in MMR: a paragraph is the
 * writer's unit of topic, so two sentences from one paragraph tend to repeat one another even
 * when they share few words.
 */
export const SAME_PARAGRAPH_SIMILARITY = 0.5;
/** Candidates at least this similar (tf-idf cosine) to an already picked sentence are dropped. */
export const DUPLICATE_SIMILARITY = 0.9;
/**
 * With embeddings, candidates whose raw embedding cosine to a picked sentence reaches this are
 * dropped too (paraphrases); set high because sentence embeddings such as e5 give unrelated
 * sentences of one language cosines around 0.8.
 */
export const EMBEDDING_DUPLICATE_SIMILARITY = 0.97;
/**
 * Bumped whenever the algorithm or its constants change, so cached summaries made by an older
 * version are not served.
 */
export const SUMMARY_ALGORITHM_VERSION = 2;

/** Most sentences one call accepts (the similarity matrices are dense: n² entries each). */
export const MAX_SUMMARY_SENTENCES = 2000;

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
  /** Optional index of the sentence's paragraph in its document (see SAME_PARAGRAPH_SIMILARITY). */
  paragraph?: number;
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
 * @throws RangeError when `count`/`maxChars`/`threshold` are invalid, `vectors` does not have one
 *   vector per sentence (all of equal, non-zero dimension), or there are more than
 *   MAX_SUMMARY_SENTENCES sentences.
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
  if (n > MAX_SUMMARY_SENTENCES) {
    throw new RangeError(`too many sentences to summarise at once: ${n} > ${MAX_SUMMARY_SENTENCES}; summarise per document first`);
  }
  if (n === 0 || count === 0) return { picked: [] };

  const lexical = tfidfSimilarity(sentences.map((s) => s.terms));
  const embedded = vectors ? embeddingSimilarity(vectors) : null;
  const redundancy = embedded ? rescaleOffDiagonal(embedded, n) : lexical;
  const isDuplicate = (i: number, j: number) =>
    lexical[i * n + j] >= DUPLICATE_SIMILARITY || (embedded !== null && embedded[i * n + j] >= EMBEDDING_DUPLICATE_SIMILARITY);
  const centrality = vectors ? normaliseMinMax(centroidCentrality(vectors)) : normaliseByMax(lexRank(lexical, n, threshold));
  const relevance = withLeadPrior(sentences, centrality);

  const picked = mmrSelect(sentences, relevance, redundancy, isDuplicate, count, maxChars);
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

/**
 * Min–max rescaling of the off-diagonal entries to [0, 1]. Sentence embeddings (e.g. the e5
 * family) put almost all cosines of same-language text into a narrow band near the top, which
 * would make the MMR redundancy term nearly constant; rescaling restores its spread.
 */
function rescaleOffDiagonal(sim: SimMatrix, n: number): SimMatrix {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      min = Math.min(min, sim[i * n + j]);
      max = Math.max(max, sim[i * n + j]);
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] = i === j ? 1 : max > min ? (sim[i * n + j] - min) / (max - min) : 0;
    }
  }
  return out;
}

/** Cosine of each (normalised) vector to the centroid of all normalised vectors. */
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
    return dot / norm;
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

function normaliseMinMax(x: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return Float64Array.from(x, (v) => (max > min ? (v - min) / (max - min) : 1));
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
  return Float64Array.from(centrality, (c, i) => (1 - POSITION_WEIGHT) * c + POSITION_WEIGHT / (rank[i] + 1));
}

/**
 * Greedy MMR selection; returns indices in pick order. `sim` is the redundancy similarity;
 * `isDuplicate` decides near-duplicates, which are never picked.
 */
function mmrSelect(
  sentences: SummarySentence[],
  relevance: Float64Array,
  sim: SimMatrix,
  isDuplicate: (i: number, j: number) => boolean,
  count: number,
  maxChars: number | undefined,
): number[] {
  const n = sentences.length;
  const selected: number[] = [];
  const remaining = new Set<number>(Array.from({ length: n }, (_, i) => i));
  const shown: number[] = [];
  // Sentences that repeat their document's title are shown already (the title heads the
  // summary): never picked, but they count as picked for redundancy.
  for (let i = 0; i < n; i++) {
    if (repeatsTitle(displayText(sentences[i].text), sentences[i].doc.title)) {
      shown.push(i);
      remaining.delete(i);
    }
  }
  const similarity = (i: number, j: number): number => {
    const pi = sentences[i].paragraph;
    const sameParagraph = pi !== undefined && pi === sentences[j].paragraph && sentences[i].doc.id === sentences[j].doc.id;
    return Math.max(sim[i * n + j], sameParagraph ? SAME_PARAGRAPH_SIMILARITY : 0);
  };
  const seenTexts = new Set<string>();
  let used = 0; // rendered length of the selection so far
  while (selected.length < count && remaining.size > 0) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of remaining) {
      let redundancy = 0;
      for (const j of selected) redundancy = Math.max(redundancy, similarity(i, j));
      for (const j of shown) redundancy = Math.max(redundancy, similarity(i, j));
      const score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    remaining.delete(best);
    const display = displayText(sentences[best].text);
    if (display === '' || seenTexts.has(display.toLowerCase())) continue;
    if (selected.some((j) => isDuplicate(best, j)) || shown.some((j) => isDuplicate(best, j))) continue;
    if (maxChars !== undefined) {
      const k = selected.length + 1;
      const cost = display.length + ` [${k}]`.length + (k > 1 ? 1 : 0);
      if (used + cost > maxChars) continue;
      used += cost;
    }
    seenTexts.add(display.toLowerCase());
    selected.push(best);
  }
  // A text whose only sentences repeat its title (e.g. a one-sentence note): show the title sentence.
  if (selected.length === 0 && count > 0) {
    const fit = shown.find((i) => maxChars === undefined || displayText(sentences[i].text).length + 4 <= maxChars);
    if (fit !== undefined) selected.push(fit);
  }
  return selected;
}

/** Shortest title that counts as "derived from a sentence" when the sentence starts with it. */
export const MIN_TITLE_CHARS = 20;

/**
 * True when a sentence merely repeats the document title, which is shown with the summary anyway:
 * the sentence (whitespace-collapsed, case-insensitive) starts with the title (a trailing "…" or
 * "..." removed, at least MIN_TITLE_CHARS long). This catches titles derived from the first
 * sentence of a text.
 */
function repeatsTitle(display: string, title: string | undefined): boolean {
  if (!title) return false;
  const t = displayText(title).replace(/(?:…|\.\.\.)$/, '').trim().toLowerCase();
  if (t.length < MIN_TITLE_CHARS) return false;
  return display.toLowerCase().startsWith(t);
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
    parts.push(`${escapeMarkdown(displayText(s.text))} [${n}]`);
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
