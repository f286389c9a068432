/**
 * Ingestion preparation, the CPU-heavy part of adding a document that needs no store: canonical
 * text → language, title, paragraphs, sentences, chunks and their index terms. Pure (no I/O), so
 * it can run on any thread; every stage is linear in the text and stops at the configured limits
 * and the wall-clock deadline.
 */
import type { Config } from '../config.js';
import { InputError, type ParseLimits, type ParsedDocument, type PageSpan } from '../corpus/types.js';
import { contentHash, deriveTitle, documentId } from '../corpus/document.js';
import { detectLanguage } from '../text/language.js';
import { canonicalText } from '../text/normalize.js';
import { segmentDocument } from '../text/chunk.js';
import { indexTerms } from '../text/terms.js';
import { stemLang } from '../text/stem.js';
import type { Decompounder } from '../text/decompound.js';

/** The limits of {@link ParseLimits} plus the segmentation ones, from the config. */
export interface IngestLimits extends ParseLimits {
  maxParagraphs: number;
  maxSentences: number;
}

/**
 * The per-document limits of `config`, with the deadline `INGEST_BUDGET_MS` from now
 * (`performance.now()` clock, milliseconds).
 */
export function ingestLimits(config: Config): IngestLimits {
  return {
    maxChars: config.MAX_FILE_BYTES * 4,
    maxHtmlElements: config.MAX_HTML_ELEMENTS,
    maxHtmlAttributes: config.MAX_HTML_ATTRIBUTES,
    maxPdfPages: config.MAX_PDF_PAGES,
    maxPdfInflatedBytes: config.MAX_PDF_INFLATED_BYTES,
    maxParagraphs: config.MAX_PARAGRAPHS,
    maxSentences: config.MAX_SENTENCES,
    deadline: performance.now() + config.INGEST_BUDGET_MS,
  };
}

/** A document's identity: its canonical text, where the body starts, and its id in `scope`. */
export interface IdentifiedDocument {
  text: string;
  bodyStart: number;
  id: string;
}

/**
 * Canonical text and id (cheap: one normalisation and one hash), so an unchanged re-add can be
 * recognised before any segmentation.
 * @throws InputError 'empty' when the body has no text; 'too-large' past `maxChars`.
 */
export function identifyDocument(parsed: ParsedDocument, scope: string | null, maxChars?: number): IdentifiedDocument {
  const text = canonicalText(parsed.text);
  if (maxChars !== undefined && text.length > maxChars) {
    throw new InputError(`The document has more than ${maxChars.toLocaleString('en')} characters of text (4 × MAX_FILE_BYTES).`, 'too-large');
  }
  const bodyStart = Math.min(parsed.bodyStart ?? 0, text.length);
  if (text.slice(bodyStart).trim().length === 0) throw new InputError('The document has no text.', 'empty');
  return { text, bodyStart, id: documentId(text, scope) };
}

/** A document ready to store: metadata plus paragraphs and chunks with index terms (space-separated). */
export interface PreparedDocument extends IdentifiedDocument {
  title: string;
  date: string | null;
  source: string | null;
  language: string;
  pages: PageSpan[] | null;
  paragraphs: { start: number; end: number; terms: string; chunks: { start: number; end: number; terms: string; hash: string }[] }[];
}

/** Chunking settings (config CHUNK_SENTENCES / CHUNK_OVERLAP). */
export interface ChunkSettings {
  sentencesPerChunk: number;
  overlap: number;
}

/**
 * Segment and index an identified document. O(text length).
 * @throws InputError 'empty' (no sentences), 'too-large' (MAX_PARAGRAPHS / MAX_SENTENCES),
 *   'timeout' (past `limits.deadline`).
 */
export function prepareDocument(
  parsed: ParsedDocument,
  doc: IdentifiedDocument,
  chunking: ChunkSettings,
  limits: Partial<IngestLimits>,
  decompounder: Decompounder | null,
): PreparedDocument {
  const { text, bodyStart } = doc;
  const language = parsed.language ?? detectLanguage(text);
  const title = (parsed.title ?? deriveTitle(text, bodyStart)).slice(0, 200);
  const sl = stemLang(language);
  const paragraphs = segmentDocument(text, bodyStart, {
    sentencesPerChunk: chunking.sentencesPerChunk,
    overlap: Math.min(chunking.overlap, chunking.sentencesPerChunk - 1),
    maxParagraphs: limits.maxParagraphs,
    maxSentences: limits.maxSentences,
    deadline: limits.deadline,
  }, language);
  if (paragraphs.length === 0) throw new InputError('The document has no sentences to index.', 'empty');
  const deadline = limits.deadline;
  return {
    ...doc,
    title,
    date: parsed.date ?? null,
    source: parsed.source ?? null,
    language,
    pages: parsed.pages ?? null,
    paragraphs: paragraphs.map((p, i) => {
      if (deadline !== undefined && i % 256 === 0 && performance.now() > deadline) {
        throw new InputError('Preparing the document took longer than its time budget (INGEST_BUDGET_MS); it was not added.', 'timeout');
      }
      return {
        start: p.start,
        end: p.end,
        terms: indexTerms(text.slice(p.start, p.end), sl, decompounder).join(' '),
        chunks: p.chunks.map((c) => {
          const chunkText = text.slice(c.start, c.end);
          return { start: c.start, end: c.end, terms: indexTerms(chunkText, sl, decompounder).join(' '), hash: contentHash(chunkText) };
        }),
      };
    }),
  };
}
