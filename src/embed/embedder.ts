/**
 * The embedding model seen by the rest of the program: text in, unit-length vectors out.
 *
 * Implementations: {@link TransformersEmbedder} (src/embed/transformers.ts). Tests may supply
 * their own (any object of this shape).
 */

/** What a text is: a question ("query") or a stored chunk ("passage"); e5 models prefix them differently. */
export type EmbedKind = 'query' | 'passage';

export interface Embedder {
  /** The model's id as configured, e.g. "Xenova/multilingual-e5-small" (for logs and reports). */
  readonly modelId: string;
  /** Length of every vector returned by {@link embed}. */
  readonly dim: number;
  /**
   * Identifies the vector space this embedder produces for passages: the model id plus whatever
   * else changes a passage vector (weight variant, passage prefix). Stored vectors (index, cache)
   * are only reusable by an embedder with the same fingerprint.
   */
  readonly fingerprint: string;
  /**
   * Embed texts. Returns one vector per text, in order, each of length {@link dim} and unit
   * Euclidean length (so dot product = cosine similarity).
   * @throws Error if the model fails (the caller decides whether to fall back to lexical search).
   */
  embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]>;
}

/**
 * Scale `v` in place to unit Euclidean length and return it.
 * @throws Error if `v` has a non-finite component or is the zero vector (no direction to keep).
 */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i] * v[i];
  if (!Number.isFinite(sq) || sq === 0) {
    throw new Error(`embedding is ${sq === 0 ? 'the zero vector' : 'not finite'}; cannot normalise it`);
  }
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

/** Dot product of two vectors of equal length (cosine similarity when both are unit length). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
