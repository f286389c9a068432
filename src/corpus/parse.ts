/**
 * Bytes (from a file, a URL or a Discord attachment) or a string (a Discord message) → a
 * {@link ParsedDocument} with clean text. Every rejection is an {@link InputError} with a message
 * meant for the person who supplied the input and a short `reason` code.
 *
 * Reason codes: 'too-large', 'empty', 'binary', 'bad-encoding', 'unsupported-type',
 * 'bad-front-matter', 'bad-html' (absurdly deep nesting), 'bad-pdf', 'encrypted', 'no-text'.
 */
import path from 'node:path';
import { InputError, type ParseLimits, type ParsedDocument } from './types.js';
import { charsetOf, decodeText, sniffHtmlCharset } from './decode.js';
import { parseHeaderLines } from './header.js';
import { parseMarkdown } from './markdown.js';
// html.ts (linkedom, Readability) and pdf.ts are imported when such a file arrives, so that
// importing the core stays fast for plain-text use (issue 12).
import { normalizeLangTag, sanitizeText, sanitizeTitle } from './sanitize.js';

export { sanitizeText, sanitizeTitle } from './sanitize.js';
export { parseHeaderLines } from './header.js';

/** The formats {@link parseBytes} understands. */
export type DocFormat = 'txt' | 'md' | 'html' | 'pdf';

/** File extensions (lower case, with dot) and their format. Used by loadPath for bulk ingestion. */
export const EXTENSION_FORMATS: Readonly<Record<string, DocFormat>> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.mdown': 'md',
  '.mkd': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
};

/** One line listing what is accepted, for error messages. */
export const SUPPORTED_HINT = 'Supported formats: plain text (.txt), Markdown (.md), HTML (.html) and PDF (.pdf).';

/** Extensions we recognise but cannot read, with a friendlier name. */
const UNSUPPORTED_EXT: Readonly<Record<string, string>> = {
  '.doc': 'Word documents', '.docx': 'Word documents', '.odt': 'OpenDocument text files',
  '.rtf': 'RTF documents', '.pages': 'Pages documents', '.epub': 'e-books (EPUB)',
  '.xls': 'spreadsheets', '.xlsx': 'spreadsheets', '.ods': 'spreadsheets',
  '.ppt': 'presentations', '.pptx': 'presentations', '.odp': 'presentations',
  '.png': 'images', '.jpg': 'images', '.jpeg': 'images', '.gif': 'images', '.webp': 'images',
  '.tif': 'images', '.tiff': 'images', '.bmp': 'images', '.heic': 'images', '.svg': 'images',
  '.zip': 'archives', '.gz': 'archives', '.tgz': 'archives', '.7z': 'archives', '.rar': 'archives',
  '.tar': 'archives', '.mp3': 'audio files', '.wav': 'audio files', '.ogg': 'audio files',
  '.m4a': 'audio files', '.mp4': 'videos', '.mov': 'videos', '.webm': 'videos', '.mkv': 'videos',
  '.exe': 'programs', '.dll': 'programs', '.so': 'programs', '.bin': 'binary files',
};

/** Magic numbers of common binary formats (checked on the first bytes). */
const MAGIC: ReadonlyArray<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or a Word/OpenDocument/EPUB file)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program (ELF)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Microsoft Office file'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'an RTF document'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
];

/** Options for {@link parseBytes}. */
export interface ParseOptions {
  /** Original file name (its extension decides the format; also the default `source`). */
  filename?: string;
  /** MIME type from HTTP or Discord, e.g. "text/html; charset=utf-8" (used when the extension is unknown). */
  contentType?: string;
  /** Reject input larger than this many bytes (checked before anything else). */
  maxBytes: number;
  /** Where the bytes came from (URL, "discord:<id>"); default `filename`. A header/front-matter source wins. */
  source?: string;
  /** Limits enforced while parsing (defaults: 4 × maxBytes characters, the parsers' own defaults). */
  limits?: ParseLimits;
}

/**
 * Parse a document.
 *
 * Format: magic bytes for PDF (`%PDF-` in the first 1 KiB) → PDF; other known binary magic →
 * 'unsupported-type'; then the file extension ({@link EXTENSION_FORMATS}); then the content type
 * (text/html, application/xhtml+xml, application/pdf, text/markdown, other text/*); else sniffed
 * (HTML if it starts like an HTML document, otherwise plain text).
 *
 * - txt: strict decoding ({@link decodeText}), {@link sanitizeText}, then seed header lines
 *   ({@link parseHeaderLines}) become metadata and are removed from the text.
 * - md: front matter (title/date/source/lang) via gray-matter; body flattened to plain text.
 * - html: Readability main text, blank lines between blocks; title/date/lang from the page.
 * - pdf: text layer per page joined with blank lines; `pages` gives each page's character range.
 *
 * @returns the document; `text` is non-empty, NFC, LF-only, without zero-width/bidi/control
 *   characters (except TAB and LF); `title` is {@link sanitizeTitle}d.
 * @throws InputError see the module doc for the reason codes.
 */
export async function parseBytes(bytes: Uint8Array, opts: ParseOptions): Promise<ParsedDocument> {
  if (bytes.length > opts.maxBytes) {
    throw new InputError(
      `The file is too large (${formatBytes(bytes.length)}; the limit is ${formatBytes(opts.maxBytes)}).`,
      'too-large',
    );
  }
  if (bytes.length === 0) throw emptyError();

  const format = detectFormat(bytes, opts.filename, opts.contentType);
  const fallbackSource = cleanSource(opts.source) ?? cleanSource(opts.filename ? path.basename(opts.filename) : undefined);

  const lim = opts.limits ?? {};
  const maxChars = lim.maxChars ?? Math.max(opts.maxBytes * 4, 1_000_000);
  if (format === 'pdf') {
    const { parsePdf } = await import('./pdf.js');
    const pdf = await parsePdf(bytes, {
      maxChars,
      maxPages: lim.maxPdfPages,
      maxInflatedBytes: lim.maxPdfInflatedBytes,
      deadline: lim.deadline,
    });
    return compact({
      text: pdf.text,
      title: sanitizeTitle(pdf.title),
      source: fallbackSource,
      language: pdf.lang,
      pages: pdf.pages,
    });
  }

  const charset = charsetOf(opts.contentType) ?? (format === 'html' ? sniffHtmlCharset(bytes) : undefined);
  const decoded = decodeText(bytes, { charset });

  if (format === 'html') {
    const baseUrl = opts.source && /^https?:\/\//i.test(opts.source) ? opts.source : undefined;
    const { parseHtml } = await import('./html.js');
    const html = parseHtml(decoded, baseUrl, {
      maxElements: lim.maxHtmlElements ?? 200_000,
      maxAttributes: lim.maxHtmlAttributes ?? 1_000_000,
    });
    const text = sanitizeText(html.text);
    if (text === '') throw emptyError('the page has no readable text');
    return compact({
      text,
      title: sanitizeTitle(html.title),
      date: cleanDate(html.date),
      source: fallbackSource,
      language: normalizeLangTag(html.lang),
    });
  }

  if (format === 'md') {
    const md = parseMarkdown(sanitizeText(decoded));
    const text = sanitizeText(md.text);
    if (text === '') throw emptyError();
    return compact({
      text,
      title: sanitizeTitle(md.title),
      date: cleanDate(md.date),
      source: cleanSource(md.source) ?? fallbackSource,
      language: normalizeLangTag(md.lang),
    });
  }

  return parseText(decoded, { source: fallbackSource });
}

/**
 * Parse a plain text string, e.g. the content of a Discord message: sanitised, seed header lines
 * taken as metadata.
 *
 * @param text the text (any line endings)
 * @param opts.source where it came from, e.g. "discord:<message id>" (a header `source` wins)
 * @param opts.maxChars reject longer text with 'too-large' (default: no limit)
 * @throws InputError 'empty' (nothing left after sanitising), 'too-large'.
 */
export function parseText(text: string, opts: { source?: string; maxChars?: number } = {}): ParsedDocument {
  if (opts.maxChars !== undefined && text.length > opts.maxChars) {
    throw new InputError(
      `The text is too long (${text.length.toLocaleString('en')} characters; the limit is ${opts.maxChars.toLocaleString('en')}).`,
      'too-large',
    );
  }
  const clean = sanitizeText(text);
  const { meta, bodyStart } = parseHeaderLines(clean);
  const body = clean.slice(bodyStart).trim();
  if (body === '') throw emptyError(bodyStart > 0 ? 'it has header lines but no text' : undefined);
  // The header stays in the text (offsets then match the file); the body starts after it.
  let start = bodyStart;
  while (start < clean.length && /\s/.test(clean[start])) start++;
  return compact({
    text: clean,
    bodyStart: start,
    title: sanitizeTitle(meta.title),
    date: cleanDate(meta.date),
    source: cleanSource(meta.source) ?? cleanSource(opts.source),
    language: normalizeLangTag(meta.lang),
  });
}

/**
 * Decide the format of some bytes (see {@link parseBytes} for the order of evidence).
 * @throws InputError 'unsupported-type' for recognised but unsupported files (images, Office, …).
 */
export function detectFormat(bytes: Uint8Array, filename?: string, contentType?: string): DocFormat {
  if (hasPdfMagic(bytes)) return 'pdf';
  for (const [sig, what] of MAGIC) {
    if (sig.every((b, i) => bytes[i] === b)) {
      throw new InputError(`This file is ${what}, not a document I can read. ${SUPPORTED_HINT}`, 'unsupported-type');
    }
  }
  const ext = filename ? path.extname(filename).toLowerCase() : '';
  if (ext && EXTENSION_FORMATS[ext]) {
    const byName = EXTENSION_FORMATS[ext];
    // A whole HTML page saved as .txt or .md (it starts with <!doctype html> / <html>) is parsed
    // as HTML: as text its tags and scripts would be indexed and quoted.
    return (byName === 'txt' || byName === 'md') && looksLikeHtml(bytes) ? 'html' : byName;
  }
  if (ext && UNSUPPORTED_EXT[ext]) {
    throw new InputError(
      `${capitalize(UNSUPPORTED_EXT[ext])} (${ext}) are not supported. ${SUPPORTED_HINT}`,
      'unsupported-type',
    );
  }
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return 'md';
  if (mime.startsWith('text/')) return 'txt';
  if (mime && mime !== 'application/octet-stream' && mime !== 'binary/octet-stream') {
    throw new InputError(`Files of type ${mime} are not supported. ${SUPPORTED_HINT}`, 'unsupported-type');
  }
  return looksLikeHtml(bytes) ? 'html' : 'txt';
}

function hasPdfMagic(b: Uint8Array): boolean {
  // ISO 32000 allows leading junk; pdfjs also searches the first 1 KiB for the header.
  const n = Math.min(b.length, 1024);
  for (let i = 0; i + 5 <= n; i++) {
    if (b[i] === 0x25 && b[i + 1] === 0x50 && b[i + 2] === 0x44 && b[i + 3] === 0x46 && b[i + 4] === 0x2d) return true;
  }
  return false;
}

function looksLikeHtml(b: Uint8Array): boolean {
  let head = '';
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) head += String.fromCharCode(b[i]);
  head = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<!--[\s\S]*?-->\s*<(?:!doctype html|html))/.test(head);
}

function emptyError(detail?: string): InputError {
  return new InputError(`The document is empty${detail ? ` (${detail})` : ''}: there is no text to index.`, 'empty');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Metadata value → one clean line (controls removed, whitespace collapsed, ≤ 500 chars). */
function cleanSource(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const t = sanitizeText(s).replace(/[\u0000-\u001F]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
  return t || undefined;
}

/**
 * A metadata date kept only when it reads as a date: ISO 8601 (`2023`, `2023-02`, `2023-02-24`,
 * with an optional time), German `24.02.2023` / `24. Februar 2023` / `Februar 2023`, English
 * `February 24, 2023` / `24 Feb 2023` / RFC 2822 `Fri, 24 Feb 2023 10:00:00 GMT`. Anything else
 * (`not a date`) is dropped rather than stored and listed as a date.
 */
export function cleanDate(s: unknown): string | undefined {
  if (s instanceof Date) return Number.isNaN(s.getTime()) ? undefined : s.toISOString().slice(0, 10);
  const t = cleanSource(typeof s === 'number' ? String(s) : s)?.slice(0, 64);
  if (!t) return undefined;
  const iso = /^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
  const de = /^(?:\d{1,2}\.\s?(?:\d{1,2}\.|(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember))\s?|(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s)\d{4}$/i;
  if (iso.test(t) || de.test(t)) return calendarValid(t) ? t : undefined;
  const en = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:\d{1,2}\s+)?(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}(?:\s+\d{2}:\d{2}(?::\d{2})?(?:\s*(?:GMT|UTC|Z|[+-]\d{4}))?)?$/i;
  if (en.test(t) && !Number.isNaN(Date.parse(t))) return t;
  return undefined;
}

const GERMAN_MONTHS = ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'];

/**
 * Whether the numbers of an ISO (`2023-02-24T10:00`) or German (`24.02.2023`, `24. Februar 2023`)
 * date that already has the right shape name a real calendar day and time: month 1–12, day 1 to
 * the month's length (Gregorian leap years), hour < 24, minute and second < 60. `2024-13-45` or
 * `31.02.2023` is no date and is dropped, not listed.
 */
function calendarValid(t: string): boolean {
  let y: number, m: number | undefined, d: number | undefined;
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?)?)?/.exec(t);
  if (iso) {
    y = Number(iso[1]);
    m = iso[2] === undefined ? undefined : Number(iso[2]);
    d = iso[3] === undefined ? undefined : Number(iso[3]);
    if (iso[4] !== undefined && (Number(iso[4]) > 23 || Number(iso[5]) > 59 || Number(iso[6] ?? 0) > 59)) return false;
  } else {
    const de = /^(?:(\d{1,2})\.\s?)?(?:(\d{1,2})\.|([A-Za-zäÄ]+))\s?(\d{4})$/.exec(t);
    if (!de) return true;
    d = de[1] === undefined ? undefined : Number(de[1]);
    const name = de[3]?.toLowerCase().replace('jänner', 'januar');
    m = de[2] !== undefined ? Number(de[2]) : GERMAN_MONTHS.indexOf(name ?? '') + 1;
    y = Number(de[4]);
  }
  if (m === undefined) return true;
  if (m < 1 || m > 12) return false;
  if (d === undefined) return true;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d >= 1 && d <= days;
}

function compact(d: ParsedDocument): ParsedDocument {
  const out: ParsedDocument = { text: d.text };
  if (d.title !== undefined) out.title = d.title;
  if (d.date !== undefined) out.date = d.date;
  if (d.source !== undefined) out.source = d.source;
  if (d.language !== undefined) out.language = d.language;
  if (d.pages !== undefined) out.pages = d.pages;
  if (d.bodyStart) out.bodyStart = d.bodyStart;
  return out;
}
