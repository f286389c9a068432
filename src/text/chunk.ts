/**
 * Paragraphs, sentences and chunks of a document, all as offsets into the stored text.
 *
 * A paragraph is a block separated by blank lines. A chunk is a window of `sentencesPerChunk`
 * consecutive sentences of one paragraph, stepping by `sentencesPerChunk - overlap`, shrunk so it
 * stays under `maxChars` (a single longer sentence stays whole). Chunks never cross paragraphs, so
 * a paragraph's score and its chunks' scores can be combined at search time.
 */
import { splitSentences, type Span } from './sentences.js';

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
}

/** Blank-line separated blocks of `text` from `from`, trimmed, never empty. */
export function paragraphSpans(text: string, from = 0): Span[] {
  const out: Span[] = [];
  const re = /\n[^\S\n]*\n\s*/g;
  re.lastIndex = from;
  let start = from;
  const push = (s: number, e: number) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

/**
 * Split `text` (from offset `from`) into paragraphs, sentences and chunks.
 * @throws RangeError if `overlap >= sentencesPerChunk`.
 */
export function segmentDocument(text: string, from: number, opts: ChunkOptions, lang = 'de'): ParagraphSpans[] {
  const { sentencesPerChunk: n, overlap } = opts;
  const maxChars = opts.maxChars ?? 1200;
  if (n < 1 || overlap < 0 || overlap >= n) throw new RangeError('chunk overlap must be smaller than the chunk size');
  return paragraphSpans(text, from).map((p) => {
    const sentences = splitSentences(text.slice(p.start, p.end), lang).map((s) => ({
      start: s.start + p.start,
      end: s.end + p.start,
    }));
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
