/**
 * The shapes the core facade (src/core.ts) and its pipelines exchange with their callers (the CLI,
 * the Discord bot, the evaluation scripts).
 */
import type { ExtractOptions } from '../answer/extract.js';
import type { IngestSource } from '../ingest/input.js';
import type { InstructionFlags } from '../answer/injection.js';
import type { DocumentRow } from '../store/store.js';
import type { DocumentCatalog } from '../search/catalog.js';

/** Public description of a stored document. */
export interface DocumentInfo {
  id: string;
  title: string;
  date: string | null;
  source: string | null;
  language: string;
  /** Guild id, or null for shared documents. */
  scope: string | null;
  chars: number;
  chunks: number;
  addedAt: string;
  /** Sentences that read as instructions to an LLM (answer/injection.ts); never count as LLM support. */
  instructions?: number;
}

/** What to ingest: text, or bytes of a file, or a URL, with optional metadata overrides (src/ingest/input.ts). */
export type IngestInput = IngestSource;

/** Options of `Dossier.summarize` (src/core.ts). */
export interface SummaryOptions {
  /** Summarise this document (must be visible from `scope`); omitted = all visible documents. */
  documentId?: string;
  scope?: string | null;
  /** Number of sentences (default 3, at most 20). */
  sentences?: number;
  /** Upper bound on the summary text length in characters (default 3500, within Discord's 4096). */
  maxChars?: number;
}

/** Outcome of an ingest. `replaced` names the id of the older version it replaced. */
export interface IngestResult {
  status: 'added' | 'unchanged' | 'replaced';
  document: DocumentInfo;
  replaced?: string;
}

/** Options of `Dossier.ask` (src/core.ts). */
export interface AskOptions {
  /** Guild id; null or undefined = shared documents only. */
  scope?: string | null;
  /** Number of passages to cite (default config ANSWER_PASSAGES). */
  limit?: number;
  /** An earlier question of the same conversation, used as weaker extra context. */
  context?: string;
  /** Receives the ranker features of the answer sentences (scripts/train-ranker.ts); no effect on the answer. */
  onSentences?: ExtractOptions['onSentences'];
}

/** The public description of a held document (chunk count and instruction sentences from the catalogue). */
export function documentInfo(d: DocumentRow, catalog: DocumentCatalog, flags: InstructionFlags, chunks?: number): DocumentInfo {
  const instructions = flags.count(d.id, () => catalog.text(d.id) ?? '');
  return { id: d.id, title: d.title, date: d.date, source: d.source, language: d.language, scope: d.scope, chars: d.chars, chunks: chunks ?? catalog.chunks(d.id), addedAt: d.added_at, ...(instructions ? { instructions } : {}) };
}

/** An integer in [min, max]; `fallback` for undefined or non-finite input. */
export function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(min, Math.min(max, Math.floor(v)));
}
