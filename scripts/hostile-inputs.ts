/**
 * Generators of pathological documents (issue 11), shared by the hostile-input benchmark
 * (scripts/bench-hostile.ts) and the tests (tests/parse.hostile.test.ts). Every generator takes a
 * target size in bytes and returns bytes of roughly that size; nothing here touches the disk.
 */
import zlib from 'node:zlib';

/** Repeat `unit` until about `bytes` bytes (ASCII units assumed). */
function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

/** Plain-text shapes from the issue's table. */
export const TEXT_SHAPES = {
  /** `x\n\n` repeated: one one-word paragraph per 3 bytes. */
  blankLines: (bytes: number) => repeatTo('x\n\n', bytes),
  /** One line of words without any punctuation or line break. */
  oneLine: (bytes: number) => repeatTo('Drohne ', bytes),
  /** Letters without spaces or punctuation (one giant "word"). */
  noPunctuation: (bytes: number) => repeatTo('abcdefghij', bytes),
  /** `a. ` repeated: a one-letter sentence (an abbreviation candidate) every 3 bytes. */
  dotA: (bytes: number) => repeatTo('a. ', bytes),
  /**
   * `S<i> ist gut. ` numbered sentences in one paragraph (the tester's quadratic-ingest case).
   * After windowed ICU segmentation: ingest 1351 ms at 0.5 MiB (~37k sentences), 1904 ms at 1 MiB
   * (~75k), from `npx tsx scripts/bench-hostile.ts --mb 0.5 --case txt:sentencesOneParagraph`
   * (and `--mb 1`) on the shared 2-core machine; before it, 40k sentences took 52.7 s.
   */
  sentencesOneParagraph: (bytes: number) => {
    const parts: string[] = [];
    for (let i = 0, n = 0; n < bytes; i++) {
      const s = `S${i} ist gut. `;
      parts.push(s);
      n += s.length;
    }
    return parts.join('');
  },
} as const;

/** HTML shapes from the issue's table. */
export const HTML_SHAPES = {
  /** Implicitly closed `<p>`: one paragraph per element, no end tags. */
  implicitP: (bytes: number) => `<!doctype html><html><body>${repeatTo('<p>Wort ', bytes)}</body></html>`,
  /** `<li>`, `<thead>`, `<caption>` without end tags. */
  implicitMixed: (bytes: number) =>
    `<!doctype html><html><body><ul>${repeatTo('<li>a<thead>b<caption>c', bytes)}</ul></body></html>`,
  /** One element carrying a huge number of attributes. */
  manyAttributes: (bytes: number) => `<!doctype html><html><body><p ${repeatTo('a=1 ', bytes)}>Text.</p></body></html>`,
  /**
   * Attributes spread under the per-element limit: elements of 900 distinct attributes each, total
   * capped at 400k (under MAX_HTML_ATTRIBUTES), the rest of the size a plain paragraph. Before the
   * attribute cut (src/corpus/html-scan.ts) this burned the whole 60 s ingest budget.
   */
  spreadAttributes: (bytes: number) => {
    const el = `<p ${Array.from({ length: 900 }, (_, i) => `a${i}=1`).join(' ')}>Text.</p>`;
    const n = Math.min(444, Math.floor(bytes / el.length));
    const rest = Math.max(0, bytes - n * el.length - 64);
    return `<!doctype html><html><body>${el.repeat(n)}<p>${repeatTo('Wort ', rest)}</p></body></html>`;
  },
  /** Elements each carrying 20 attributes that do reach the DOM (class, id, role, …). */
  keptAttributes: (bytes: number) => {
    const names = ['id', 'class', 'style', 'role', 'itemprop', 'rel', 'type', 'summary', 'lang', 'dir', 'name', 'property', 'content', 'datetime', 'rowspan', 'colspan', 'datatable', 'aria-hidden', 'aria-modal', 'href'];
    const el = `<span ${names.map((a) => `${a}=x`).join(' ')}>Wort.</span>`;
    return `<!doctype html><html><body><p>${repeatTo(el, Math.min(bytes, 24_000 * el.length))}</p></body></html>`;
  },
  /** Attribute names that start with a quote (`<p "0" "1" …>`): htmlparser2 reads each as an attribute. */
  quotedAttributeNames: (bytes: number) => `<!doctype html><html><body><p ${repeatTo('"" ', bytes)}>Text.</p></body></html>`,
  /** One paragraph of character entities (`&amp;`): each was its own DOM text node. */
  entities: (bytes: number) => `<!doctype html><html><body><p>${repeatTo('&amp;', bytes)}</p></body></html>`,
  /** Words split by empty comments (`a<!---->`): each comment and text piece was its own DOM node. */
  comments: (bytes: number) => `<!doctype html><html><body><p>${repeatTo('Wort<!---->', bytes)}</p></body></html>`,
  /** Words split by end tags that close nothing (`a</x>`): ignored by the parser, but they split text. */
  strayEndTags: (bytes: number) => `<!doctype html><html><body><p>${repeatTo('Wort </x>', bytes)}</p></body></html>`,
} as const;

/**
 * A minimal valid PDF (one page per stream) whose content streams are FlateDecode-compressed.
 * `body` is the uncompressed content of each page's stream (a content stream, e.g. text operators).
 */
export function pdfWithStreams(pageStreams: Buffer[]): Buffer {
  const objects: Buffer[] = [];
  const n = pageStreams.length;
  // 1: catalog, 2: pages, 3: font, then per page: page object, content stream
  const kids = Array.from({ length: n }, (_, i) => `${4 + 2 * i} 0 R`).join(' ');
  objects.push(Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  objects.push(Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`));
  objects.push(Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'));
  for (let i = 0; i < n; i++) {
    objects.push(
      Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`),
    );
    const z = zlib.deflateSync(pageStreams[i], { level: 9 });
    objects.push(Buffer.concat([Buffer.from(`<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n`), z, Buffer.from('\nendstream')]));
  }
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let pos = parts[0].length;
  objects.forEach((o, i) => {
    offsets.push(pos);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(b);
    pos += b.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A text content stream showing `lines` lines (each a `(text) Tj` at its own baseline). */
export function pdfTextStream(lines: string[]): Buffer {
  const ops = lines.map((l, i) => `BT /F1 12 Tf 72 ${720 - (i % 50) * 14} Td (${l.replace(/[()\\]/g, '')}) Tj ET`);
  return Buffer.from(ops.join('\n'));
}

/** PDF shapes from the issue's table. `bytes` is the size the streams inflate to. */
export const PDF_SHAPES = {
  /** One stream inflating to `bytes` of `(Drohne) Tj` text operators. */
  textBomb: (bytes: number) => pdfWithStreams([Buffer.from(repeatTo('BT /F1 12 Tf 72 700 Td (Drohne) Tj ET\n', bytes))]),
  /** One stream inflating to `bytes` zero bytes. */
  zeroBomb: (bytes: number) => pdfWithStreams([Buffer.alloc(bytes)]),
  /**
   * 4999 one-sentence pages in a flat page tree (the old MAX_PDF_PAGES was 5000); ignores `bytes`.
   * pdf.js finds page n by walking the tree's kids from the start, so a flat tree costs time
   * quadratic in the page count (measured: getPage for 500 pages 0.45 s, 2000 pages 4.0 s).
   */
  manyPages: () => pdfWithStreams(Array.from({ length: 4999 }, (_, i) => pdfTextStream([`Seite ${i + 1} hat einen Satz.`]))),
  /** 1999 such pages: just under the MAX_PDF_PAGES default of 2000; ignores `bytes`. */
  pagesUnderCap: () => pdfWithStreams(Array.from({ length: 1999 }, (_, i) => pdfTextStream([`Seite ${i + 1} hat einen Satz.`]))),
} as const;
