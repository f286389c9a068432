/**
 * PDF → text with page spans, using the pdfjs-dist 4 legacy build (the build meant for Node; it
 * runs its "fake worker" in-process). Text comes only from the text layer: scanned PDFs (images
 * only) are rejected, there is no OCR.
 */
import { InputError, type PageSpan } from './types.js';
import { normalizeLangTag, sanitizeText } from './sanitize.js';
import { checkPdfInflation } from './pdf-guard.js';

/** Limits {@link parsePdf} enforces while reading (config: MAX_PDF_PAGES, MAX_PDF_INFLATED_BYTES, INGEST_BUDGET_MS). */
export interface PdfLimits {
  /** Stop with 'too-large' once the extracted text exceeds this many characters. */
  maxChars: number;
  maxPages?: number;
  /** Budget for all FlateDecode streams together, inflated (checked before pdf.js runs). */
  maxInflatedBytes?: number;
  /** `performance.now()` instant after which reading stops with 'timeout' (checked per page). */
  deadline?: number;
}

/** What {@link parsePdf} extracts. `text` and `pages` are final (already sanitised). */
export interface PdfResult {
  text: string;
  pages: PageSpan[];
  title?: string;
  lang?: string;
  /** Number of pages in the file (pages without text have no span). */
  pageCount: number;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | undefined;
/** pdfjs is large; load it on first use only. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/** Words after a line-final hyphen that mean the hyphen is a German suspended hyphen ("Waffen- und …"). */
const SUSPENDED_NEXT = /^(?:und|oder|bzw\.?|sowie|als|wie|noch|bis|and|or|to)\b/;

/**
 * Default for the most pages read from one PDF (config MAX_PDF_PAGES). pdf.js locates page n by
 * walking the page tree's kids from the first (pdf.worker.mjs Catalog.getPageDict), so a flat
 * tree costs time quadratic in the page count: getPage took 0.45 s for 500 pages and 4.0 s for
 * 2000 (machine under load), and a 4999-page PDF ingested in 9.6 s unloaded under the old default
 * of 5000 (`npx tsx scripts/bench-hostile.ts --case pdf:manyPages`). 2000 pages covers long
 * reports and most books.
 */
export const MAX_PDF_PAGES = 2000;

/** Pages whose text is requested from pdf.js at once (bounded, so memory stays per page). */
const PAGES_IN_FLIGHT = 8;

/** PDF /Title values that are file names or tool defaults, not titles. */
const JUNK_TITLE = /^(?:untitled|unbenannt|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|odt|pptx?|pdf|indd|tex))$/i;

/**
 * Extract text per page.
 *
 * Each page's text items are assembled into lines (pdfjs `hasEOL`, or a change of baseline by more
 * than half the font height), lines into paragraphs (a vertical gap above 1.7 line heights, or the
 * baseline moving up, starts a new paragraph), and the lines of a paragraph are joined with spaces;
 * a line-final hyphen between lower-case letters is removed ("Liefe-/rungen" → "Lieferungen")
 * unless the next word shows a suspended hyphen ("Waffen- und"). Pages are sanitised
 * ({@link sanitizeText}) and joined with one blank line; `pages[i]` covers exactly page i's text.
 *
 * A line set in a font at least HEADING_RATIO larger or smaller than its neighbour starts a new
 * paragraph, so a heading does not run into the sentence after it.
 *
 * @param bytes the PDF file
 * @param limits characters, pages, inflated stream bytes and the time budget (or just maxChars)
 * @throws InputError 'encrypted' (password protected), 'bad-pdf' (not a readable PDF), 'no-text'
 *   (no text layer, e.g. a scan), 'too-large' (more than maxChars of text, maxPages pages or
 *   maxInflatedBytes inflated), 'timeout' (past the deadline).
 */
export async function parsePdf(bytes: Uint8Array, limits: PdfLimits | number): Promise<PdfResult> {
  const lim: PdfLimits = typeof limits === 'number' ? { maxChars: limits } : limits;
  const maxChars = lim.maxChars;
  const maxPages = lim.maxPages ?? MAX_PDF_PAGES;
  // Bombs are refused before pdf.js inflates anything (it would hold the whole stream in memory).
  checkPdfInflation(bytes, lim.maxInflatedBytes ?? Math.max(4 * bytes.length, 64 * 1024 * 1024));
  const pdfjs = await loadPdfJs();
  // pdfjs may detach/transfer the buffer it is given, and refuses Node Buffers: pass a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: false,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      throw pdfError(err);
    }
    if (doc.numPages > maxPages) {
      throw new InputError(
        `The PDF has ${doc.numPages.toLocaleString('en')} pages; at most ${maxPages.toLocaleString('en')} pages can be read (MAX_PDF_PAGES).`,
        'too-large',
      );
    }
    const pageTexts: string[] = [];
    let total = 0;
    let failed = 0;
    const readPage = async (n: number): Promise<string | null> => {
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        const text = sanitizeText(assemblePage(content.items.filter((i): i is TextItemLike & typeof i => 'str' in i)));
        page.cleanup();
        return text;
      } catch {
        return null;
      }
    };
    // Pages are requested PAGES_IN_FLIGHT at a time: pdf.js answers each request through its
    // message port, and one page at a time left the thread idle between the round trips.
    for (let first = 1; first <= doc.numPages; first += PAGES_IN_FLIGHT) {
      if (lim.deadline !== undefined && performance.now() > lim.deadline) {
        throw new InputError(`Reading the PDF took longer than its time budget (INGEST_BUDGET_MS; stopped at page ${first}); it was not added.`, 'timeout');
      }
      const last = Math.min(doc.numPages, first + PAGES_IN_FLIGHT - 1);
      const batch = await Promise.all(Array.from({ length: last - first + 1 }, (_, k) => readPage(first + k)));
      for (const t of batch) {
        if (t === null) failed++;
        const pageText = t ?? '';
        total += pageText.length + 2;
        if (total > maxChars) {
          throw new InputError(
            `The PDF contains more text than the limit allows (over ${maxChars.toLocaleString('en')} characters: 4 × MAX_FILE_BYTES).`,
            'too-large',
          );
        }
        pageTexts.push(pageText);
      }
    }
    if (doc.numPages === 0 || failed === doc.numPages) {
      throw new InputError('The PDF could not be read (it has no readable pages).', 'bad-pdf');
    }

    let text = '';
    const pages: PageSpan[] = [];
    pageTexts.forEach((t, i) => {
      if (t === '') return;
      if (text !== '') text += '\n\n';
      pages.push({ page: i + 1, start: text.length, end: text.length + t.length });
      text += t;
    });
    if (text === '') {
      throw new InputError(
        `The PDF has no text layer (${doc.numPages} page${doc.numPages === 1 ? '' : 's'}, no extractable text): ` +
          `it looks like a scan or contains only images. Please upload a PDF with selectable text, or run OCR first.`,
        'no-text',
      );
    }

    let title: string | undefined;
    let lang: string | undefined;
    try {
      const meta = await doc.getMetadata();
      const info = (meta.info ?? {}) as Record<string, unknown>;
      if (typeof info.Title === 'string' && info.Title.trim() && !JUNK_TITLE.test(info.Title.trim())) {
        title = info.Title;
      }
      lang = normalizeLangTag(info.Language);
    } catch {
      /* metadata is optional */
    }
    return { text, pages, title, lang, pageCount: doc.numPages };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

function pdfError(err: unknown): InputError {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'PasswordException') {
    return new InputError(
      'The PDF is encrypted and needs a password to open. Please upload an unprotected copy.',
      'encrypted',
    );
  }
  return new InputError(
    'The file is not a readable PDF (it is damaged or not really a PDF).',
    'bad-pdf',
  );
}

/** Font-size ratio between neighbouring lines that marks a heading (1.2 ≈ 12 pt text under a 14.4 pt heading). */
const HEADING_RATIO = 1.2;

interface Line {
  text: string;
  y: number;
  h: number;
}

/** Items of one page → text with paragraphs separated by blank lines (see {@link parsePdf}). */
function assemblePage(items: TextItemLike[]): string {
  const lines: Line[] = [];
  let cur: Line | null = null;
  let lastEnd = 0;
  const push = () => {
    if (cur && cur.text.trim() !== '') lines.push(cur);
    cur = null;
  };
  for (const it of items) {
    const x = it.transform[4];
    const y = it.transform[5];
    const h = Math.abs(it.height) || Math.abs(it.transform[3]) || 10;
    if (cur !== null && it.str !== '' && Math.abs(y - (cur as Line).y) > h * 0.5) push();
    if (it.str !== '') {
      if (cur === null) {
        cur = { text: '', y, h };
      } else {
        const c: Line = cur;
        if (x > lastEnd + h * 0.15 && !/\s$/.test(c.text) && !/^\s/.test(it.str)) c.text += ' ';
        c.h = Math.max(c.h, h);
      }
      (cur as Line).text += it.str;
      lastEnd = x + it.width;
    }
    if (it.hasEOL) push();
  }
  push();

  const paras: string[][] = [];
  let prev: Line | null = null;
  for (const line of lines) {
    const gap = prev ? prev.y - line.y : 0;
    const lh = prev ? Math.max(prev.h, line.h) : line.h;
    const ratio = prev ? Math.max(prev.h, line.h) / Math.max(1e-6, Math.min(prev.h, line.h)) : 1;
    if (prev === null || gap < -lh * 0.5 || gap > lh * 1.7 || ratio >= HEADING_RATIO) paras.push([]);
    paras[paras.length - 1].push(line.text.replace(/\s+/g, ' ').trim());
    prev = line;
  }
  return paras.map(joinLines).join('\n\n');
}

function joinLines(lines: string[]): string {
  let out = '';
  for (const l of lines) {
    if (out === '') out = l;
    else if (/\p{Ll}-$/u.test(out) && /^\p{Ll}/u.test(l) && !SUSPENDED_NEXT.test(l)) out = out.slice(0, -1) + l;
    else if (/[\p{L}\p{N}]-$/u.test(out) && !SUSPENDED_NEXT.test(l)) out += l; // NATO-/Generalsekretär
    else out += ' ' + l;
  }
  return out;
}
