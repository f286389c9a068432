/**
 * A linear pre-scan of HTML source that predicts the shape of the DOM linkedom will build, so
 * hostile pages are refused before the (super-linear) DOM is built.
 *
 * linkedom parses with htmlparser2, whose open-element stack is an array grown with `unshift` and
 * searched with `indexOf` (htmlparser2 10, dist/esm/Parser.js): both cost O(depth) per tag, so a
 * deep stack makes parsing quadratic. The scan replays htmlparser2's stack rules — its
 * `openImpliesClose` table (a `<li>` closes an open `<li>`, a block closes an open `<p>`, …), void
 * elements, `/>` honoured only inside `<svg>`/`<math>`, an end tag closing up to the nearest open
 * element of that name and being ignored when there is none — and counts elements and attributes.
 * Every character is looked at a bounded number of times; a per-name count of open elements makes
 * the end-tag lookup O(1) unless elements are actually popped (each pop matches one push).
 */

/** htmlparser2's `openImpliesClose`: opening the key closes open elements of these names. */
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (
    [
      ['tr', ['tr', 'th', 'td']], ['th', ['th']], ['td', ['thead', 'th', 'td']], ['body', ['head', 'link', 'script']],
      ['li', ['li']], ['p', P], ['h1', P], ['h2', P], ['h3', P], ['h4', P], ['h5', P], ['h6', P],
      ['select', FORM], ['input', FORM], ['output', FORM], ['button', FORM], ['datalist', FORM], ['textarea', FORM],
      ['option', ['option']], ['optgroup', ['optgroup', 'option']], ['dd', ['dd', 'dt']], ['dt', ['dd', 'dt']],
      ['address', P], ['article', P], ['aside', P], ['blockquote', P], ['details', P], ['div', P], ['dl', P],
      ['fieldset', P], ['figcaption', P], ['figure', P], ['footer', P], ['form', P], ['header', P], ['hr', P],
      ['main', P], ['nav', P], ['ol', P], ['pre', P], ['section', P], ['table', P], ['ul', P],
      ['rt', ['rt', 'rp']], ['rp', ['rt', 'rp']], ['tbody', ['thead', 'tbody']], ['tfoot', ['thead', 'tbody']],
    ] as Array<[string, string[]]>
  ).map(([k, v]) => [k, new Set(v)]),
);
/** htmlparser2's void elements (never pushed). */
const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
/** Elements whose content htmlparser2 reads as raw text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'plaintext']);

/** Longest tag (from '<' to '>') the scan reads; a longer stretch is skipped as text. */
export const MAX_TAG_CHARS = 1 << 20;

/** Limits for {@link scanHtml}; the scan stops at the first one passed. */
export interface HtmlScanLimits {
  maxDepth: number;
  maxElements: number;
  /** Attributes summed over all elements. */
  maxAttributes: number;
  /** Attributes on any one element. */
  maxAttributesPerElement: number;
}

/** What {@link scanHtml} found; `exceeded` names the first limit passed (the scan stopped there). */
export interface HtmlShape {
  depth: number;
  elements: number;
  attributes: number;
  maxAttributesPerElement: number;
  exceeded?: keyof HtmlScanLimits;
}

const NO_LIMITS: HtmlScanLimits = { maxDepth: Infinity, maxElements: Infinity, maxAttributes: Infinity, maxAttributesPerElement: Infinity };

/**
 * Predict the maximum element depth, element count and attribute counts of the DOM htmlparser2
 * builds from `html` (see the module doc). O(length of `html`).
 */
export function scanHtml(html: string, limits: Partial<HtmlScanLimits> = {}): HtmlShape {
  const lim = { ...NO_LIMITS, ...limits };
  const n = html.length;
  const stack: string[] = [];
  const open = new Map<string, number>();
  let foreign = 0; // open <svg>/<math>
  const shape: HtmlShape = { depth: 0, elements: 0, attributes: 0, maxAttributesPerElement: 0 };
  const push = (name: string) => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (name === 'svg' || name === 'math') foreign++;
    if (stack.length > shape.depth) shape.depth = stack.length;
  };
  const pop = () => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    if (name === 'svg' || name === 'math') foreign--;
  };
  let i = html.indexOf('<');
  while (i !== -1 && i < n) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end === -1) break;
      i = html.indexOf('<', end + 3);
      continue;
    }
    let j = i + 1;
    const closing = html.charCodeAt(j) === 0x2f;
    if (closing) j++;
    let k = j;
    while (k < n && isNameChar(html.charCodeAt(k), k === j)) k++;
    if (k === j) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    // The tag's end, skipping quoted values; attributes counted as runs of non-space, non-'='.
    const limit = Math.min(n, i + MAX_TAG_CHARS);
    let quote = 0;
    let end = -1;
    let attrs = 0;
    let inName = false;
    let afterEq = false;
    for (let p = k; p < limit; p++) {
      const c = html.charCodeAt(p);
      if (quote) {
        if (c === quote) quote = 0;
        continue;
      }
      if (c === 0x3e) {
        end = p;
        break;
      }
      if (c === 0x22 || c === 0x27) {
        quote = c;
        inName = false;
        afterEq = false;
      } else if (c === 0x3d) {
        inName = false;
        afterEq = true;
      } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x2f) {
        inName = false;
      } else if (!inName && !afterEq) {
        inName = true;
        attrs++;
      } else if (afterEq) {
        afterEq = false; // an unquoted value: its characters are not an attribute name
        inName = true;
      }
    }
    if (end === -1) {
      i = html.indexOf('<', limit);
      continue;
    }
    const name = html.slice(j, k).toLowerCase();
    if (closing) {
      if (!VOID.has(name) && (open.get(name) ?? 0) > 0) {
        while (stack.length && stack[stack.length - 1] !== name) pop();
        pop();
      } else if (name === 'p' || name === 'br') {
        // htmlparser2 turns a stray </p> into an empty <p></p> and </br> into <br>
        shape.elements++;
        if (stack.length + 1 > shape.depth) shape.depth = stack.length + 1;
      }
      i = html.indexOf('<', end + 1);
      continue;
    }
    shape.elements++;
    shape.attributes += attrs;
    if (attrs > shape.maxAttributesPerElement) shape.maxAttributesPerElement = attrs;
    if (shape.elements > lim.maxElements) return { ...shape, exceeded: 'maxElements' };
    if (attrs > lim.maxAttributesPerElement) return { ...shape, exceeded: 'maxAttributesPerElement' };
    if (shape.attributes > lim.maxAttributes) return { ...shape, exceeded: 'maxAttributes' };
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    if (closes) while (stack.length && closes.has(stack[stack.length - 1])) pop();
    const selfClosing = foreign > 0 && html.charCodeAt(end - 1) === 0x2f;
    if (!VOID.has(name) && !selfClosing) {
      push(name);
      if (shape.depth > lim.maxDepth) return { ...shape, exceeded: 'maxDepth' };
    } else if (stack.length + 1 > shape.depth) shape.depth = stack.length + 1; // a leaf element
    if (RAW_TEXT.has(name)) {
      const close = indexOfCaseless(html, `</${name}`, end + 1);
      if (close === -1) break;
      i = close;
      continue;
    }
    i = html.indexOf('<', end + 1);
  }
  return shape;
}

/** indexOf of an ASCII lower-case `needle` in `s`, ignoring ASCII case. */
function indexOfCaseless(s: string, needle: string, from: number): number {
  const first = needle.charCodeAt(0);
  for (let i = s.indexOf(String.fromCharCode(first), from); i !== -1; i = s.indexOf(String.fromCharCode(first), i + 1)) {
    let ok = true;
    for (let t = 1; t < needle.length && ok; t++) ok = (s.charCodeAt(i + t) | 0x20) === needle.charCodeAt(t);
    if (ok) return i;
  }
  return -1;
}

function isNameChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return first ? alpha : alpha || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}
