/**
 * Issue 11, hostile HTML under the size limits: the pre-scan (src/corpus/html-scan.ts) reads the
 * page with htmlparser2's own Tokenizer, so its counts are the DOM's; it merges each text run into
 * one DOM text node (entities, comments, ignored end tags split text into millions of nodes) and
 * cuts attributes the extraction never reads. Linear behaviour is asserted through counts (text
 * nodes, attributes in the DOM), never through timings; the 10 MB shapes are timed by
 * scripts/bench-hostile.ts.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { AMP, LT, restoreText, scanHtml } from '../src/corpus/html-scan.js';
import { parseHtml } from '../src/corpus/html.js';
import { parseBytes } from '../src/corpus/parse.js';
import { InputError } from '../src/corpus/types.js';
import { deriveTitle, TITLE_WINDOW_CHARS } from '../src/corpus/document.js';
import { forEachToken, tokenize, type Token } from '../src/text/tokenize.js';
import { HTML_SHAPES } from '../scripts/hostile-inputs.js';

const page = (body: string, head = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

interface Node {
  nodeType: number;
  childNodes: ArrayLike<Node>;
  attributes?: ArrayLike<unknown>;
}
/** Element, text-node and attribute counts of the DOM linkedom builds from `html`. */
function domCounts(html: string): { elements: number; texts: number; attributes: number } {
  const { document } = parseHTML(html);
  const out = { elements: 0, texts: 0, attributes: 0 };
  const stack: Node[] = [document as unknown as Node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeType === 1) {
      out.elements++;
      out.attributes += n.attributes?.length ?? 0;
    }
    if (n.nodeType === 3) out.texts++;
    const kids = n.childNodes; // linkedom rebuilds childNodes on each access
    for (let i = 0; i < kids.length; i++) stack.push(kids[i]);
  }
  return out;
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected a refusal');
}

describe('pre-scan counts are the DOM parser’s', () => {
  it.each([
    ['plain', page('<div id=a class="b c"><p>x<p>y</div><ul><li>a<li title=t>b</ul>')],
    ['attribute names starting with a quote', page('<p "a" "b" \'c\'>x</p>')],
    ['attributes without spaces between quoted values', page('<p a="1"b="2"c=\'3\'>x</p>')],
    ['a quote in a name position does not hide a ">"', page('<p "><div><div>x</div></div>')],
    ['stray </p> and </br> make elements', page('<div></p></br></x>x</div>')],
    ['svg self-closing', page('<svg><path d=1/><g/></svg><div/>x')],
    ['raw text', page('<script>if (a<b) {"<div a=1>"}</script><style>p{}</style><div>x</div>')],
  ])('%s: elements and attributes match linkedom', (_name, html) => {
    const scan = scanHtml(html);
    const dom = domCounts(html);
    expect(scan.elements).toBe(dom.elements);
    expect(scan.attributes).toBe(dom.attributes);
  });

  it('counts attributes whose names start with a quote (the old scanner saw none)', () => {
    const html = page(`<p ${'"" '.repeat(1500)}>Text.</p>`);
    expect(scanHtml(html).maxAttributesPerElement).toBe(1500);
    expect(refusal(() => parseHtml(html)).message).toMatch(/more than 1000 attributes/);
  });

  it('reads a tag longer than 1 MB to its end (the old scanner skipped it as text)', () => {
    const html = page(`<p ${'a=1 '.repeat(300_000)}>Text.</p>`);
    const scan = scanHtml(html, { maxAttributesPerElement: 1000 });
    expect(scan.exceeded).toBe('maxAttributesPerElement');
    expect(refusal(() => parseHtml(html)).reason).toBe('bad-html');
  });

  it('spread attributes are refused at MAX_HTML_ATTRIBUTES, naming it', () => {
    const html = HTML_SHAPES.spreadAttributes(200_000);
    expect(scanHtml(html).maxAttributesPerElement).toBe(900);
    const err = refusal(() => parseHtml(html, undefined, { maxElements: 100_000, maxAttributes: 10_000 }));
    expect(err.message).toContain('MAX_HTML_ATTRIBUTES');
  });
});

describe('text runs become one DOM text node', () => {
  it.each([
    ['entities', (n: number) => page(`<p>${'a&amp;'.repeat(n)}</p>`), (n: number) => 'a&'.repeat(n)],
    ['numeric entities', (n: number) => page(`<p>${'&#x41;&#66;'.repeat(n)}</p>`), (n: number) => 'AB'.repeat(n)],
    ['comments', (n: number) => page(`<p>${'Wort<!-- c -->'.repeat(n)}</p>`), (n: number) => 'Wort'.repeat(n)],
    ['ignored end tags', (n: number) => page(`<p>${'Wort </x>'.repeat(n)}</p>`), (n: number) => 'Wort '.repeat(n).trim()],
    ['processing instructions and declarations', (n: number) => page(`<p>${'a<?x?>b<!y>'.repeat(n)}</p>`), (n: number) => 'ab'.repeat(n)],
  ])('%s: text nodes do not grow with the count, text unchanged', (_name, make, expected) => {
    for (const n of [100, 2000]) {
      const html = make(n);
      const scan = scanHtml(html);
      // One text node in <p> (plus none elsewhere), whatever n is.
      expect(domCounts(scan.html!).texts).toBe(1);
      expect(domCounts(html).texts).toBeGreaterThanOrEqual(n); // what the DOM parser made of the original
      expect(parseHtml(html).text).toBe(expected(n));
    }
  });

  it('entity-encoded text reads exactly like the same text written out', () => {
    const encoded = page('<h1>M&auml;rz &amp; April</h1><p>Die Dr&ouml;hne &lt;ZT-180&gt; fliegt &quot;schnell&quot; &#8211; sagt er. &amp;amp; bleibt.</p>', '<title>A &amp; B</title>');
    const plain = page('<h1>März &amp; April</h1><p>Die Dröhne &lt;ZT-180&gt; fliegt "schnell" – sagt er. &amp;amp; bleibt.</p>', '<title>A &amp; B</title>');
    const a = parseHtml(encoded);
    const b = parseHtml(plain);
    expect(a.text).toBe(b.text);
    expect(a.text).toContain('<ZT-180>');
    expect(a.text).toContain('&amp; bleibt');
    expect(a.title).toBe('A & B');
    expect(a.text).not.toMatch(/[\uFDD0\uFDD1]/);
  });

  it('noncharacters in the input never turn into & or <', async () => {
    const html = page(`<p>x ${AMP}${LT} y &amp; z</p>`);
    const parsed = await parseBytes(Buffer.from(html), { filename: 'a.html', maxBytes: 1e6 });
    expect(parsed.text).not.toMatch(/[&<].*[&<]/);
    expect(parsed.text).toContain('& z');
    expect(restoreText(`a${AMP}b${LT}c`)).toBe('a&b<c');
  });
});

describe('attributes the extraction never reads are cut before the DOM', () => {
  it('keeps class, id, href, hidden, lang, datetime and meta content; drops the rest', () => {
    const html = page(
      '<div id=main class=article data-x=1 onclick="y()" style="color:red" aria-label=z><p hidden>Versteckt.</p><p>Sichtbar <a href="/x" target=_blank>hier</a>.</p><time datetime="2023-02-24">Feb</time></div>',
      '<meta name="date" content="2023-02-24">',
    );
    const scan = scanHtml(html);
    expect(scan.cutAttributes).toBe(4); // data-x, onclick, aria-label, target
    const { document } = parseHTML(scan.html!);
    const div = document.querySelector('div')!;
    expect([...div.attributes].map((a) => a.name).sort()).toEqual(['class', 'id', 'style']);
    expect(document.querySelector('a')!.getAttribute('href')).toBe('/x');
    const r = parseHtml(html);
    expect(r.text).toContain('Sichtbar hier.');
    expect(r.text).not.toContain('Versteckt');
    expect(r.date).toBe('2023-02-24');
  });

  it('900 attributes per element reach the DOM as none', () => {
    const html = HTML_SHAPES.spreadAttributes(100_000);
    const scan = scanHtml(html);
    expect(scan.attributes).toBeGreaterThan(10_000);
    expect(domCounts(scan.html!).attributes).toBe(0);
    expect(parseHtml(html).text).toContain('Text.');
  });
});

describe('bounded helpers of the text path', () => {
  it('deriveTitle reads the first sentence within its window', () => {
    expect(deriveTitle('  \n Erster Satz. Zweiter Satz.', 0)).toBe('Erster Satz');
    expect(deriveTitle('a. '.repeat(1_000_000), 0)).toBe('a');
    const noEnd = deriveTitle('Wort '.repeat(TITLE_WINDOW_CHARS), 0);
    expect(noEnd.endsWith('…')).toBe(true);
    expect(noEnd.length).toBeLessThanOrEqual(91);
    // Leading whitespace is skipped before the window starts.
    expect(deriveTitle(' '.repeat(TITLE_WINDOW_CHARS - 5) + 'kurz ' + 'x'.repeat(10), 0)).toBe('kurz xxxxxxxxxx');
  });

  it('forEachToken yields exactly the tokens of tokenize', () => {
    const text = 'Die ZT-180 fliegt 6.000 km, sagt Xi’an-Chef Dr. Müller; u.a. www.example.org und NATO-Generalsekretär 3,5.';
    const seen: Token[] = [];
    forEachToken(text, (t) => seen.push(t));
    expect(seen).toEqual(tokenize(text));
  });
});
