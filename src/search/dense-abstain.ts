/**
 * Dense-aware abstention: with dense retrieval on, a question whose lexical coverage is below
 * ABSTAIN_THRESHOLD can still be answered from passages whose dense cosine similarity to the
 * question clears DENSE_THRESHOLD (config; see src/config.ts for where its default comes from).
 * This lets a question with no word in common with the passage ("What number of UAVs per
 * month?" over "…rund 100 Drohnen im Monat…") be answered, while one that neither lexical nor
 * dense retrieval supports still abstains.
 */
import type { ScoredChunk } from './passages.js';

/** A fused chunk with the cosine similarity of its dense hit (undefined: lexical only). */
export interface FusedChunk extends ScoredChunk {
  similarity?: number;
}

/**
 * The abstention decision and the passages to answer from.
 * @param lexicalAbstain true when the top lexical passage's coverage is below ABSTAIN_THRESHOLD
 * @param fused the fused ranking (best first); `similarity` in [-1, 1] for dense hits
 * @param threshold DENSE_THRESHOLD; a value above 1 switches the dense rescue off
 * @returns `abstain` and `ranked`: the fused ranking unchanged when lexical search supports the
 *   answer; otherwise only the chunks clearing the threshold, by similarity (best first). O(n log n).
 */
export function denseAbstention(lexicalAbstain: boolean, fused: FusedChunk[], threshold: number): { abstain: boolean; ranked: FusedChunk[] } {
  if (!lexicalAbstain) return { abstain: false, ranked: fused };
  const cleared = fused.filter((c) => c.similarity !== undefined && c.similarity >= threshold);
  if (cleared.length === 0) return { abstain: true, ranked: fused };
  cleared.sort((a, b) => b.similarity! - a.similarity!);
  return { abstain: false, ranked: cleared };
}
