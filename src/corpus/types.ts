/** Shapes shared by the corpus loaders and parsers. */

/** What a parser extracts from a file, page or message before it is stored. */
export interface ParsedDocument {
  /** The document text as it will be stored and quoted (citations are slices of it). */
  text: string;
  title?: string;
  /** Free-form date as found in the source, e.g. "2023-02" or "2023-02-24". */
  date?: string;
  /** Where it came from: a URL, a file name, "discord:<message id>". */
  source?: string;
  /** ISO 639-1 code when the parser knows it (otherwise detected later). */
  language?: string;
  /**
   * Where the body starts in `text` (after header lines such as `date 2023-02`); 0 when there are
   * none. The header stays in `text` so that offsets match the original file.
   */
  bodyStart?: number;
  /** For paged formats (PDF): character ranges of `text` per 1-based page number. */
  pages?: PageSpan[];
}

/** `text.slice(start, end)` is page `page` of the document. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

/** An error whose message is safe and useful to show to the user who supplied the input. */
export class InputError extends Error {
  constructor(
    message: string,
    /** A short machine-readable reason, e.g. "empty", "too-large", "binary", "fetch-timeout". */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * Limits enforced while a document is parsed and prepared (config MAX_* and INGEST_BUDGET_MS);
 * each refusal is an {@link InputError} whose message names the setting.
 */
export interface ParseLimits {
  /** Most characters of extracted text (default 4 × the byte limit). */
  maxChars?: number;
  maxHtmlElements?: number;
  maxHtmlAttributes?: number;
  maxPdfPages?: number;
  maxPdfInflatedBytes?: number;
  /** `performance.now()` instant after which work stops with 'timeout'. */
  deadline?: number;
}
