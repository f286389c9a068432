/**
 * A linear pre-scan of HTML source, run before any DOM exists: it predicts the shape of the DOM
 * linkedom will build (so hostile pages are refused cheaply) and rewrites the source so that the
 * DOM has at most one text node per run of text.
 *
 * Tokenising: htmlparser2's own Tokenizer (the one linkedom's parser drives), so tags, attributes,
 * quotes, comments, raw-text elements and entities are read exactly as the DOM parser will read
 * them — a hand-written scanner was fooled by attribute names that start with a quote and by tags
 * longer than its look-ahead (issue 11).
 *
 * Tree shape: htmlparser2's Parser keeps its open-element stack in an array grown with `unshift`
 * and searched with `indexOf` (htmlparser2 10, dist/esm/Parser.js), O(depth) per tag, so a deep
 * stack makes parsing quadratic. The scan replays the Parser's stack rules (its `openImpliesClose`
 * table, void elements, `/>` honoured only in a foreign (svg/math) context, an end tag closing up
 * to the nearest open element of that name and ignored when there is none, a stray `</p>` or
 * `</br>` creating an element) with a per-name count of open elements, so every step is O(1)
 * amortised.
 *
 * Text runs: the Parser reports every character entity as its own text (linkedom makes each a text
 * node), and comments, declarations and ignored end tags split text too, so 10 MB of `&amp;` or
 * `a<!---->` became millions of DOM nodes (10 MB of either: over the 60 s budget and 1.3 GB, see the
 * README's hostile-documents table). The scan drops those
 * no-op tokens and writes each run that contained an entity or a dropped token as one decoded
 * string, with `&` and `<` replaced by the noncharacters {@link AMP} and {@link LT} (Unicode 15
 * §23.7: reserved for internal use, never interchanged) so the run re-tokenises as exactly one text
 * node; {@link restoreText} maps them back in the extracted text. Noncharacters already in the
 * input become U+FFFD first.
 */
import { Tokenizer } from 'htmlparser2';

/** Stand-in for `&` inside rewritten text runs (U+FDD0, a noncharacter). */
export const AMP = '\uFDD0';
/** Stand-in for `<` inside rewritten text runs (U+FDD1, a noncharacter). */
export const LT = '\uFDD1';

/** Map the stand-ins of {@link scanHtml}'s rewritten source back to `&` and `<`. */
export function restoreText(s: string): string {
  return s.indexOf(AMP) === -1 && s.indexOf(LT) === -1 ? s : s.replace(/\uFDD0/g, '&').replace(/\uFDD1/g, '<');
}

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
/** htmlparser2's foreign-context elements and HTML integration points (its `foreignContext` stack). */
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

/**
 * Attributes that reach the DOM: those this project's extraction (src/corpus/html.ts: lang,
 * hidden, aria-hidden, style, datetime, meta name/property/itemprop/content) and Readability 0.6
 * (class/id weights, role, href link density, table and byline hints, lang/dir) read. Others are
 * cut from the source before the DOM is built: linkedom's `attributes` is rebuilt on each access
 * and Readability walks it per index when it renames an element, so thousands of attributes on
 * one element cost quadratic time (measured: parseHtml of 400k attributes over 447 elements, 31 s
 * before the cut, 1.1 s after, machine under load).
 */
const KEEP_ATTRIBUTES = new Set([
  'id', 'class', 'style', 'hidden', 'aria-hidden', 'aria-modal', 'role', 'itemprop', 'href', 'rel', 'type',
  'summary', 'rowspan', 'colspan', 'datatable', 'lang', 'dir', 'name', 'property', 'content', 'datetime',
]);

/** Limits for {@link scanHtml}; the scan stops at the first one passed. */
export interface HtmlScanLimits {
  maxDepth: number;
  /** Elements the DOM will hold (including those a stray `</p>` or `</br>` creates). */
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
  /** Character entities in text (each would have been its own DOM text node). */
  entities: number;
  /** Comments, declarations, processing instructions and ignored end tags dropped from the source. */
  dropped: number;
  /** Attributes cut from the source (not in the kept set; see KEEP_ATTRIBUTES). */
  cutAttributes: number;
  /** Text runs written as one decoded string (they held an entity or a dropped token). */
  mergedRuns: number;
  exceeded?: keyof HtmlScanLimits;
  /** The source with text runs merged (see the module doc); `html` itself when nothing changed. Absent when `exceeded`. */
  html?: string;
}

const NO_LIMITS: HtmlScanLimits = { maxDepth: Infinity, maxElements: Infinity, maxAttributes: Infinity, maxAttributesPerElement: Infinity };

class Stop extends Error {}

/**
 * Predict the maximum element depth, element count and attribute counts of the DOM linkedom
 * builds from `html`, and rewrite the source so each text run becomes one text node (see the
 * module doc). O(length of `html`); stops at the first limit passed.
 */
export function scanHtml(source: string, limits: Partial<HtmlScanLimits> = {}): HtmlShape {
  const lim = { ...NO_LIMITS, ...limits };
  const html = /[\uFDD0\uFDD1]/.test(source) ? source.replace(/[\uFDD0\uFDD1]/g, '\uFFFD') : source;
  const shape: HtmlShape = { depth: 0, elements: 0, attributes: 0, maxAttributesPerElement: 0, entities: 0, dropped: 0, cutAttributes: 0, mergedRuns: 0 };
  const stack: string[] = [];
  const open = new Map<string, number>();
  const foreign: boolean[] = [false]; // the Parser's foreignContext, top at the end
  let tag = '';
  let attrs = 0;
  let declarations = 0;
  let attrStart = 0;
  let keepAttr = true;

  // Output: slices of `html` between replaced ranges, plus the rewritten runs.
  const out: string[] = [];
  let copied = 0;
  // The current text run: [start, end) in `html`, its decoded pieces, whether it must be rewritten.
  let runStart = -1;
  let runEnd = -1;
  let pieces: string[] = [];
  let rewrite = false;

  const flush = () => {
    if (runStart === -1) return;
    if (rewrite) {
      out.push(html.slice(copied, runStart), pieces.join('').replace(/&/g, AMP).replace(/</g, LT));
      copied = runEnd;
      shape.mergedRuns++;
    }
    runStart = -1;
    pieces = [];
    rewrite = false;
  };
  const text = (start: number, end: number, decoded: string, entity: boolean) => {
    if (runStart !== -1 && runEnd !== start) flush();
    if (runStart === -1) runStart = start;
    runEnd = end;
    pieces.push(decoded);
    if (entity) rewrite = true;
  };
  /** A token with no effect on the DOM, [start, end): removed; the text on both sides joins. */
  const drop = (start: number, end: number) => {
    shape.dropped++;
    if (runStart !== -1 && runEnd !== start) flush();
    if (runStart === -1) runStart = start;
    runEnd = end;
    rewrite = true;
  };
  const push = (name: string) => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > shape.depth) shape.depth = stack.length;
    if (shape.depth > lim.maxDepth) stop('maxDepth');
  };
  const pop = () => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
  };
  const element = () => {
    shape.elements++;
    if (shape.elements > lim.maxElements) stop('maxElements');
  };
  const stop = (which: keyof HtmlScanLimits): never => {
    shape.exceeded = which;
    throw new Stop();
  };
  /** htmlparser2's emitOpenTag. */
  const openTag = (name: string) => {
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    if (closes) while (stack.length && closes.has(stack[stack.length - 1])) pop();
    element();
    if (!VOID.has(name)) {
      push(name);
      if (FOREIGN.has(name)) foreign.push(true);
      else if (INTEGRATION.has(name)) foreign.push(false);
    } else if (stack.length + 1 > shape.depth) {
      shape.depth = stack.length + 1; // a leaf element
      if (shape.depth > lim.maxDepth) stop('maxDepth');
    }
  };
  const endAttribute = () => {
    attrs++;
    shape.attributes++;
    if (attrs > shape.maxAttributesPerElement) shape.maxAttributesPerElement = attrs;
    if (attrs > lim.maxAttributesPerElement) stop('maxAttributesPerElement');
    if (shape.attributes > lim.maxAttributes) stop('maxAttributes');
  };
  /** Start of the token whose content begins at `contentStart` (its `<`, at most 4 characters back). */
  const tokenStart = (contentStart: number) => html.lastIndexOf('<', contentStart - 1);

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      ontext(start, end) {
        text(start, end, html.slice(start, end), false);
      },
      ontextentity(cp, end) {
        shape.entities++;
        text(html.lastIndexOf('&', end - 1), end, String.fromCodePoint(cp), true);
      },
      onopentagname(start, end) {
        flush();
        tag = html.slice(start, end).toLowerCase();
        attrs = 0;
      },
      onattribname(start, end) {
        attrStart = start;
        keepAttr = KEEP_ATTRIBUTES.has(html.slice(start, end).toLowerCase());
      },
      onattribdata() {},
      onattribentity() {},
      onattribend(_quote, end) {
        endAttribute();
        if (!keepAttr) {
          // Tags come after any text run (flushed at the tag name), so `copied` ≤ attrStart.
          out.push(html.slice(copied, attrStart));
          copied = end;
          shape.cutAttributes++;
        }
      },
      // The element is counted when its tag ends: a tag cut off by the end of input makes none.
      onopentagend() {
        openTag(tag);
      },
      onselfclosingtag() {
        openTag(tag);
        if (foreign[foreign.length - 1] && stack[stack.length - 1] === tag) pop();
      },
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase();
        if (FOREIGN.has(name) || INTEGRATION.has(name)) {
          if (foreign.length) foreign.pop();
          flush();
          return; // kept: it changes the Parser's foreign context even when nothing is open
        }
        if (!VOID.has(name)) {
          if ((open.get(name) ?? 0) > 0) {
            flush();
            while (stack.length && stack[stack.length - 1] !== name) pop();
            pop();
            return;
          }
          if (name === 'p') {
            flush();
            openTag('p'); // htmlparser2 turns a stray </p> into <p></p>
            pop();
            return;
          }
        } else if (name === 'br') {
          flush();
          element(); // </br> becomes <br>
          if (stack.length + 1 > shape.depth) shape.depth = stack.length + 1;
          return;
        }
        // Ignored by the Parser: dropped from the source.
        const s = tokenStart(start);
        const e = html.indexOf('>', end);
        drop(s, e === -1 ? html.length : e + 1);
      },
      oncomment(start, end) {
        drop(tokenStart(start), Math.min(html.length, end + 1));
      },
      oncdata(start, end) {
        drop(tokenStart(start), Math.min(html.length, end + 1));
      },
      ondeclaration(start, end) {
        if (declarations++ === 0) flush(); // the first (the doctype) is kept
        else drop(tokenStart(start), end + 1);
      },
      onprocessinginstruction(start, end) {
        drop(tokenStart(start), end + 1);
      },
      onend() {
        flush();
      },
    },
  );
  try {
    tokenizer.write(html);
    tokenizer.end();
  } catch (err) {
    if (err instanceof Stop) return shape;
    throw err;
  }
  out.push(html.slice(copied));
  shape.html = copied === 0 ? html : out.join('');
  return shape;
}
