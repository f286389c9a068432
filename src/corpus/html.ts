/**
 * HTML → main text. Mozilla Readability (the Firefox Reader View algorithm) picks the article on a
 * linkedom DOM; the chosen subtree is then turned into text with one blank line between blocks.
 * When Readability finds nothing, the whole <body> minus navigation chrome is used.
 */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';

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
/** Readability gives up on documents with more elements than this (it is super-linear). */
const MAX_ELEMS = 100_000;

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
 * Date: Readability's publishedTime (JSON-LD / article:published_time), else <time datetime>.
 * Language: <html lang>.
 *
 * @param html decoded HTML source
 * @param url the page URL if known (lets Readability resolve relative links; not fetched)
 */
export function parseHtml(html: string, url?: string): HtmlResult {
  const doc = parseDocument(html);
  const root = doc.documentElement as unknown as (DomNode & { getAttribute(n: string): string | null }) | null;
  const lang = root?.getAttribute('lang') ?? undefined;
  const h1 = firstText(doc, 'h1');
  const time = doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined;
  const docTitle = firstText(doc, 'title');

  let article: ReturnType<Readability['parse']> = null;
  try {
    // Readability mutates the DOM, so it gets its own copy.
    const copy = parseDocument(html);
    if (url) setBase(copy, url);
    article = new Readability(copy as unknown as Document, { maxElemsToParse: MAX_ELEMS }).parse();
  } catch {
    article = null; // too many elements or a Readability bug: fall back to the body text
  }

  let text = '';
  if (article?.content) {
    const { document: frag } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    text = toText(frag.body as unknown as DomNode, false);
  }
  if (text.trim() === '') {
    const body = doc.body as unknown as DomNode | null;
    text = body ? toText(body, true) : '';
  }
  return {
    text,
    title: article?.title || docTitle || h1 || undefined,
    date: article?.publishedTime || time || undefined,
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

/**
 * Walk a subtree and produce text: whitespace collapsed as a browser would (except in <pre>),
 * <br> → line break, block elements → blank line, table cells separated by " | ".
 */
function toText(root: DomNode, skipChrome: boolean): string {
  const parts: string[] = [];
  const walk = (node: DomNode, pre: boolean) => {
    if (node.nodeType === 3) {
      const t = node.textContent ?? '';
      parts.push(pre ? t : t.replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 11 && node.nodeType !== 9) return;
    const name = node.nodeName.toLowerCase();
    if (SKIP.has(name) || (skipChrome && CHROME.has(name)) || isHidden(node)) return;
    if (name === 'br') {
      parts.push('\n');
      return;
    }
    const block = BLOCK.has(name);
    if (block) parts.push('\n\n');
    if (name === 'li') parts.push('- ');
    if (name === 'td' || name === 'th') parts.push(' | ');
    const kids = node.childNodes;
    for (let i = 0; i < kids.length; i++) walk(kids[i], pre || name === 'pre');
    if (block) parts.push('\n\n');
  };
  walk(root, false);
  return parts
    .join('')
    .split('\n')
    .map((l) => l.replace(/^\s*\|\s*/, '').replace(/^[ \t]+|[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
