/**
 * HTML → main text. Mozilla Readability (the Firefox Reader View algorithm) picks the article on a
 * linkedom DOM; the chosen subtree is then turned into text with one blank line between blocks.
 * When Readability finds nothing, the whole <body> minus navigation chrome is used.
 */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { InputError } from './types.js';
import { restoreText, scanHtml } from './html-scan.js';

/** What {@link parseHtml} extracts; `text` is not yet sanitised. */
export interface HtmlResult {
  text: string;
  title?: string;
  date?: string;
  lang?: string;
}

/** Elements whose content is never text. */
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas',
  'head', 'title', 'meta', 'link', 'button', 'select', 'option', 'input', 'textarea', 'audio', 'video',
]);
/** Extra elements skipped in the fallback (no Readability article): page chrome. */
const CHROME = new Set(['nav', 'header', 'footer', 'aside', 'form', 'dialog']);
/** Elements that start a new paragraph. */
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'blockquote', 'pre',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody',
  'tfoot', 'tr', 'figure', 'figcaption', 'hr', 'address', 'details', 'summary', 'fieldset', 'form',
  'caption', 'center', 'body', 'html', 'picture',
]);
/**
 * Readability is super-linear in nesting depth (measured with linkedom 0.18 / Readability 0.6:
 * a chain of 400 nested <div>s takes 3.7 s, 2000 take 100 s; 10 000 flat paragraphs 1.1 s,
 * 50 000 <span>s 3.6 s). Documents beyond these limits skip Readability and use the plain
 * <body> text instead, so hostile pages cannot stall the process.
 */
const READABILITY_MAX_DEPTH = 150;
/** Sum over all elements of their depth ("ancestor visits"); ~300 000 ≈ 3–5 s of Readability. */
const READABILITY_MAX_WORK = 300_000;
const READABILITY_MAX_ELEMS = 30_000;
/**
 * Attributes that reach the DOM (after the pre-scan's cut, src/corpus/html-scan.ts) above which
 * Readability is skipped: linkedom builds ~150 000 attributes a second here, and Readability walks
 * them again (measured: 24 000 elements × 20 kept attributes, DOM 3.1 s, Readability 6.0 s, its
 * article re-parsed 3.0 s). Real pages carry one or two kept attributes per element.
 */
const READABILITY_MAX_ATTRIBUTES = 100_000;

/**
 * linkedom's parser is quadratic in nesting depth (measured: 10 000 nested <div>s 0.16 s, 20 000
 * 0.4 s, 50 000 5.6 s), and 10 MB of "<div>" would nest two million deep. Real pages stay far below
 * a few hundred levels, so deeper input is refused before the DOM is built.
 */
export const MAX_HTML_DEPTH = 5000;
/**
 * Upper bound on the element depth linkedom builds from `html` (htmlparser2's stack rules; see
 * src/corpus/html-scan.ts). Linear; stops early once the depth exceeds `stopAbove`.
 */
export function estimateHtmlDepth(html: string, stopAbove = Infinity): number {
  return scanHtml(html, { maxDepth: stopAbove }).depth;
}

/** Limits {@link parseHtml} enforces before building the DOM (config MAX_HTML_ELEMENTS, MAX_HTML_ATTRIBUTES). */
export interface HtmlLimits {
  maxElements: number;
  maxAttributes: number;
}

/** Most attributes on one element: real markup has a handful, and linkedom slows down sharply with thousands. */
export const MAX_ATTRIBUTES_PER_ELEMENT = 1000;

/* linkedom's DOM is typed loosely here: only the few members used below. */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

/**
 * Extract the main text, title, date and language of an HTML page.
 *
 * Title: Readability's (og:title / <title>, site name trimmed), else the first <h1>.
 * Date: Readability's publishedTime (JSON-LD / article:published_time), else a date `<meta>`
 * ({@link META_DATE_NAMES}), else the first <time datetime>.
 * Language: <html lang>.
 *
 * @param html decoded HTML source
 * @param url the page URL if known (lets Readability resolve relative links; not fetched)
 * @param limits element and attribute limits, checked by a linear pre-scan before any DOM exists
 * @throws InputError 'bad-html' when the markup nests deeper than {@link MAX_HTML_DEPTH} or has
 *   more than {@link MAX_ATTRIBUTES_PER_ELEMENT} attributes on one element; 'too-large' past
 *   `limits` (the message names the setting).
 */
export function parseHtml(html: string, url?: string, limits: HtmlLimits = { maxElements: 200_000, maxAttributes: 1_000_000 }): HtmlResult {
  const scan = scanHtml(html, {
    maxDepth: MAX_HTML_DEPTH,
    maxElements: limits.maxElements,
    maxAttributes: limits.maxAttributes,
    maxAttributesPerElement: MAX_ATTRIBUTES_PER_ELEMENT,
  });
  switch (scan.exceeded) {
    case 'maxDepth':
      throw new InputError(
        `The page's HTML is nested more than ${MAX_HTML_DEPTH} levels deep, which no normal page does; it was not read.`,
        'bad-html',
      );
    case 'maxAttributesPerElement':
      throw new InputError(
        `The page has an element with more than ${MAX_ATTRIBUTES_PER_ELEMENT} attributes, which no normal page does; it was not read.`,
        'bad-html',
      );
    case 'maxElements':
      throw new InputError(`The page has more than ${limits.maxElements.toLocaleString('en')} HTML elements (MAX_HTML_ELEMENTS).`, 'too-large');
    case 'maxAttributes':
      throw new InputError(`The page has more than ${limits.maxAttributes.toLocaleString('en')} HTML attributes (MAX_HTML_ATTRIBUTES).`, 'too-large');
  }
  // Parsed from here on: the source with each text run as one text node (see html-scan.ts);
  // extracted strings go through restoreText.
  html = scan.html!;
  const doc = parseDocument(html);
  const root = doc.documentElement as unknown as (DomNode & { getAttribute(n: string): string | null }) | null;
  const lang = root?.getAttribute('lang') ?? undefined;
  const h1 = firstText(doc, 'h1');
  const time = doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined;
  const metaDate = metaContent(doc, META_DATE_NAMES);
  const docTitle = firstText(doc, 'title');

  let article: ReturnType<Readability['parse']> = null;
  const shape = measure(doc.documentElement as unknown as DomNode | null);
  const keptAttributes = scan.attributes - scan.cutAttributes;
  let readabilityRan = false;
  if (
    shape.maxDepth <= READABILITY_MAX_DEPTH && shape.work <= READABILITY_MAX_WORK && shape.elements <= READABILITY_MAX_ELEMS &&
    keptAttributes <= READABILITY_MAX_ATTRIBUTES
  ) {
    // Readability mutates the DOM it reads: everything else was taken from `doc` above, and the
    // rare fallback below parses the page again instead of every page being parsed twice.
    readabilityRan = true;
    try {
      if (url) setBase(doc, url);
      article = new Readability(doc as unknown as Document, { maxElemsToParse: READABILITY_MAX_ELEMS }).parse();
    } catch {
      article = null; // a Readability failure: fall back to the body text
    }
  }

  let text = '';
  if (article?.content) {
    const { document: frag } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    text = toText(frag.body as unknown as DomNode, false);
  }
  if (text.trim() === '') {
    const body = (readabilityRan ? parseDocument(html) : doc).body as unknown as DomNode | null;
    text = body ? toText(body, true) : '';
  }
  const title = article?.title || docTitle || h1;
  return {
    text: restoreText(text),
    title: title ? restoreText(title) : undefined,
    date: article?.publishedTime || metaDate || time || undefined,
    lang: article?.lang || lang || undefined,
  };
}

/**
 * linkedom does not synthesise <html>/<body> like a browser: for a fragment the first element
 * becomes the document element (or there is none). Wrap such input before parsing.
 */
function parseDocument(html: string) {
  let { document } = parseHTML(html);
  if (document.documentElement?.localName !== 'html') {
    const wrapped = /<(?:head|body)[\s>]/i.test(html)
      ? `<!doctype html><html>${html}</html>`
      : `<!doctype html><html><head></head><body>${html}</body></html>`;
    ({ document } = parseHTML(wrapped));
  }
  return document;
}

function setBase(doc: ReturnType<typeof parseDocument>, url: string): void {
  try {
    const base = doc.createElement('base');
    base.setAttribute('href', url);
    doc.head?.appendChild(base);
  } catch {
    /* best effort */
  }
}

/**
 * `<meta name|property|itemprop>` values that carry a page's publication date, most specific
 * first: Dublin Core (`dc.date`, DCMI Metadata Terms), the plain `date` many CMSs write, Open
 * Graph's `article:published_time`, schema.org `datePublished`.
 */
export const META_DATE_NAMES = ['dc.date.issued', 'dcterms.date', 'dc.date', 'date', 'article:published_time', 'datepublished', 'pubdate', 'publish-date'];

function metaContent(doc: ReturnType<typeof parseDocument>, names: readonly string[]): string | undefined {
  const found = new Map<string, string>();
  for (const m of doc.querySelectorAll('meta')) {
    const key = (m.getAttribute('name') ?? m.getAttribute('property') ?? m.getAttribute('itemprop') ?? '').trim().toLowerCase();
    const value = m.getAttribute('content')?.trim();
    if (key && value && !found.has(key)) found.set(key, value);
  }
  for (const n of names) if (found.has(n)) return found.get(n);
  return undefined;
}

function firstText(doc: ReturnType<typeof parseDocument>, selector: string): string | undefined {
  const t = doc.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
  return t || undefined;
}

function isHidden(el: DomNode): boolean {
  const get = el.getAttribute?.bind(el);
  if (!get) return false;
  if (get('hidden') !== null || get('aria-hidden') === 'true') return true;
  const style = get('style');
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/** Element count, maximum depth and the sum of all element depths of a tree (iterative). */
function measure(root: DomNode | null): { elements: number; maxDepth: number; work: number } {
  let elements = 0;
  let maxDepth = 0;
  let work = 0;
  if (!root) return { elements, maxDepth, work };
  const stack: Array<[DomNode, number]> = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node.nodeType !== 1) continue;
    elements++;
    work += depth;
    if (depth > maxDepth) maxDepth = depth;
    const kids = node.childNodes;
    for (let i = 0; i < kids.length; i++) if (kids[i].nodeType === 1) stack.push([kids[i], depth + 1]);
  }
  return { elements, maxDepth, work };
}

/**
 * Walk a subtree and produce text: whitespace collapsed as a browser would (except in <pre>),
 * <br> → line break, block elements → blank line, table cells separated by " | ", list items
 * prefixed "- ". Iterative, so arbitrarily deep documents cannot overflow the stack.
 */
function toText(root: DomNode, skipChrome: boolean): string {
  const parts: string[] = [];
  // Work items: a node to visit, or a string to emit once a block element's children are done.
  const stack: Array<{ node: DomNode; pre: boolean } | string> = [{ node: root, pre: false }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    const { node, pre } = item;
    if (node.nodeType === 3) {
      const t = node.textContent ?? '';
      parts.push(pre ? t : t.replace(/[ \t\n\r\f]+/g, ' '));
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 11 && node.nodeType !== 9) continue;
    const name = node.nodeName.toLowerCase();
    if (SKIP.has(name) || (skipChrome && CHROME.has(name)) || isHidden(node)) continue;
    if (name === 'br') {
      parts.push('\n');
      continue;
    }
    const block = BLOCK.has(name);
    if (block) parts.push('\n\n');
    if (name === 'li') parts.push('- ');
    if (name === 'td' || name === 'th') parts.push(' | ');
    if (block) stack.push('\n\n');
    const kids = node.childNodes;
    const childPre = pre || name === 'pre';
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], pre: childPre });
  }
  return parts
    .join('')
    .split('\n')
    .map((l) => l.replace(/^\s*\|\s*/, '').replace(/^[ \t]+|[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
