/**
 * Paragraphs, sentences and chunks of a document, all as offsets into the stored text.
 *
 * A paragraph is a block separated by blank lines. A chunk is a window of `sentencesPerChunk`
 * consecutive sentences of one paragraph, stepping by `sentencesPerChunk - overlap`, shrunk so it
 * stays under `maxChars` (a single longer sentence stays whole). Chunks never cross paragraphs, so
 * a paragraph's score and its chunks' scores can be combined at search time.
 */
import { splitSentences, type Span } from './sentences.js';
import { InputError } from '../corpus/types.js';

export type { Span } from './sentences.js';

/** A paragraph with its sentences and chunks (all absolute offsets into the document text). */
export interface ParagraphSpans {
  start: number;
  end: number;
  sentences: Span[];
  chunks: Span[];
}

/** Chunking parameters. */
export interface ChunkOptions {
  sentencesPerChunk: number;
  overlap: number;
  /** Upper bound on chunk length in UTF-16 code units (default 1200 ≈ 250 tokens). */
  maxChars?: number;
  /** Refuse ('too-large') a document with more paragraphs than this (checked while splitting). */
  maxParagraphs?: number;
  /** Refuse ('too-large') a document with more sentences than this (checked while splitting). */
  maxSentences?: number;
  /** Refuse ('timeout') once `performance.now()` passes this instant (ms), checked per paragraph. */
  deadline?: number;
}

/** Blank-line separated blocks of `text` from `from`, trimmed, never empty. */
export function paragraphSpans(text: string, from = 0): Span[] {
  return [...iterateParagraphs(text, from)];
}

/** {@link paragraphSpans} one at a time, so a caller that needs only the first few stops early. */
export function* iterateParagraphs(text: string, from = 0): Generator<Span> {
  const re = /\n[^\S\n]*\n\s*/g;
  re.lastIndex = from;
  let start = from;
  const trim = (s: number, e: number): Span | null => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    return e > s ? { start: s, end: e } : null;
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const p = trim(start, m.index);
    if (p) yield p;
    start = m.index + m[0].length;
  }
  const last = trim(start, text.length);
  if (last) yield last;
}

/**
 * Split `text` (from offset `from`) into paragraphs, sentences and chunks. Linear in the text's
 * length; the optional limits in `opts` stop the work as soon as they are passed.
 * @throws RangeError if `overlap >= sentencesPerChunk`.
 * @throws InputError 'too-large' past `maxParagraphs`/`maxSentences`, 'timeout' past `deadline`
 *   (the message names the limit).
 */
export function segmentDocument(text: string, from: number, opts: ChunkOptions, lang = 'de'): ParagraphSpans[] {
  const { sentencesPerChunk: n, overlap } = opts;
  const maxChars = opts.maxChars ?? 1200;
  if (n < 1 || overlap < 0 || overlap >= n) throw new RangeError('chunk overlap must be smaller than the chunk size');
  const paras: Span[] = [];
  for (const p of iterateParagraphs(text, from)) {
    if (opts.maxParagraphs !== undefined && paras.length >= opts.maxParagraphs) {
      throw new InputError(
        `The document has more than ${opts.maxParagraphs.toLocaleString('en')} paragraphs (MAX_PARAGRAPHS).`,
        'too-large',
      );
    }
    paras.push(p);
  }
  let sentenceCount = 0;
  return paras.map((p) => {
    if (opts.deadline !== undefined && performance.now() > opts.deadline) throw budgetError();
    const sentences = splitSentences(text.slice(p.start, p.end), lang).map((s) => ({
      start: s.start + p.start,
      end: s.end + p.start,
    }));
    sentenceCount += sentences.length;
    if (opts.maxSentences !== undefined && sentenceCount > opts.maxSentences) {
      throw new InputError(
        `The document has more than ${opts.maxSentences.toLocaleString('en')} sentences (MAX_SENTENCES).`,
        'too-large',
      );
    }
    const chunks: Span[] = [];
    let i = 0;
    while (i < sentences.length) {
      let j = Math.min(i + n, sentences.length);
      while (j - 1 > i && sentences[j - 1].end - sentences[i].start > maxChars) j--;
      chunks.push({ start: sentences[i].start, end: sentences[j - 1].end });
      if (j >= sentences.length) break;
      i = Math.max(i + 1, j - overlap);
    }
    return { start: p.start, end: p.end, sentences, chunks };
  });
}

/** The refusal for a document whose preparation ran past its wall-clock budget. */
export function budgetError(): InputError {
  return new InputError(
    'Preparing the document took longer than its time budget (INGEST_BUDGET_MS); it was not added.',
    'timeout',
  );
}

/**
 * Paragraph numbers (1-based, as in citations "¶n") and pages of offsets in one document, with
 * the paragraph spans computed once: O(paragraphs) to build, O(log paragraphs) per lookup.
 * An offset between paragraphs belongs to the paragraph before it (at least ¶1).
 */
export class PositionIndex {
  private readonly starts: number[];
  constructor(
    text: string,
    bodyStart: number,
    private readonly pages: ReadonlyArray<{ page: number; start: number; end: number }> | null = null,
  ) {
    this.starts = paragraphSpans(text, bodyStart).map((p) => p.start);
  }

  /** 1-based paragraph number of `offset`. */
  paragraph(offset: number): number {
    return Math.max(1, upperBound(this.starts, offset));
  }

  /** The page holding `offset`, or undefined (no pages, or between pages). */
  page(offset: number): number | undefined {
    const pages = this.pages;
    if (!pages || pages.length === 0) return undefined;
    const i = upperBound(this.pageStarts(), offset) - 1;
    const p = pages[i];
    return p && offset >= p.start && offset < p.end ? p.page : undefined;
  }

  /** "¶n" or "p. k, ¶n", the same label as answer citations. */
  label(offset: number): string {
    const page = this.page(offset);
    const n = this.paragraph(offset);
    return page ? `p. ${page}, ¶${n}` : `¶${n}`;
  }

  private pageStartsCache: number[] | null = null;
  private pageStarts(): number[] {
    return (this.pageStartsCache ??= (this.pages ?? []).map((p) => p.start));
  }
}

/** Number of elements of the sorted array `a` that are ≤ x (binary search). */
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
