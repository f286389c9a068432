/**
 * Markdown: YAML/JSON front matter (gray-matter) for metadata, and the body reduced to readable
 * plain text so that quotes do not show `**`, `[text](url)` or `#` markers.
 */
import matter from 'gray-matter';
import { InputError } from './types.js';

/** What {@link parseMarkdown} extracts; `text` is not yet sanitised. */
export interface MarkdownResult {
  text: string;
  title?: unknown;
  date?: string;
  source?: unknown;
  lang?: unknown;
}

/**
 * gray-matter can evaluate `---js` / `---javascript` front matter with `eval` (lib/engines.js).
 * Only YAML (js-yaml safeLoad) and JSON are allowed; every other engine throws.
 */
const refuse = (): never => {
  throw new Error('only YAML or JSON front matter is supported');
};
const MATTER_OPTIONS = {
  engines: { javascript: refuse, js: refuse, coffee: refuse, coffeescript: refuse, cson: refuse, toml: refuse },
};

/**
 * Split front matter from a Markdown document and flatten the body.
 *
 * Front matter keys read: `title`, `date` (a YAML date becomes "YYYY-MM-DD"; strings/numbers are
 * kept as written), `source` (or `url`), `lang` (or `language`). Without a front-matter title the
 * first level-1 heading is the title.
 *
 * @param text decoded Markdown (LF line breaks)
 * @throws InputError 'bad-front-matter' when the front matter is not valid YAML/JSON or uses another
 *   language.
 */
export function parseMarkdown(text: string): MarkdownResult {
  let data: Record<string, unknown> = {};
  let body = text;
  if (/^---[^\n]*\n/.test(text)) {
    try {
      // Passing options also bypasses gray-matter's global cache (index.js), which would otherwise
      // keep every parsed document in memory.
      const fm = matter(text, MATTER_OPTIONS);
      data = fm.data && typeof fm.data === 'object' ? (fm.data as Record<string, unknown>) : {};
      body = fm.content;
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new InputError(
        `The Markdown front matter (the block between the '---' lines at the top) could not be read (${truncate(detail.replace(/[.:]+$/, ''), 160)}).`,
        'bad-front-matter',
      );
    }
  }
  const plain = stripMarkdown(body);
  return {
    text: plain.text,
    title: scalar(data.title) ?? plain.heading,
    date: dateValue(data.date),
    source: scalar(data.source) ?? scalar(data.url),
    lang: scalar(data.lang) ?? scalar(data.language),
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function dateValue(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    const iso = v.toISOString();
    // js-yaml turns `2023-02-24` into midnight UTC; keep the time only when there is one.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return scalar(v);
}

/**
 * Reduce Markdown to plain text: keeps the words, drops the markup. Fenced and indented code keeps
 * its lines; headings become their own paragraphs; list items keep a "- " / "1. " marker; soft-wrapped
 * paragraph lines are joined with spaces. Returns the first level-1 heading as `heading`.
 */
export function stripMarkdown(md: string): { text: string; heading?: string } {
  // Comments, and raw-HTML script/style elements with their content (code, not words; before
  // this, `<script>alert(1)</script>` was indexed as "alert(1)"). An unclosed one runs to the end,
  // so each replacement is one linear scan.
  const src = md.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/<(script|style)\b[^<>]{0,1000}>[\s\S]*?(?:<\/\1\s*>|$)/gi, '');
  const lines = src.split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let isList = false; // para holds list items (one entry per item) rather than wrapped lines
  let heading: string | undefined;
  let fence: string | null = null;

  const flush = () => {
    if (para.length) out.push(para.join(isList ? '\n' : ' '), '');
    para = [];
    isList = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (fence !== null) {
      if (raw.trimStart().startsWith(fence)) {
        fence = null;
        out.push('');
      } else out.push(raw);
      continue;
    }
    const fm = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fm) {
      flush();
      fence = fm[1];
      continue;
    }
    const line = raw.replace(/^ {0,3}(?:> ?)+/, ''); // blockquote markers
    if (line.trim() === '') {
      flush();
      continue;
    }
    // thematic break / setext underline
    if (/^ {0,3}([-*_=])(?:\s*\1){2,}\s*$/.test(line)) {
      const setextH1 = /^\s*=+\s*$/.test(line) && para.length > 0;
      if (setextH1 && heading === undefined) heading = inline(para.join(' '));
      flush();
      continue;
    }
    // link reference definition
    if (/^ {0,3}\[[^\]]+\]:\s*\S+(?:\s+["'(].*["')])?\s*$/.test(line)) continue;
    // table delimiter row
    if (/^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line) && line.includes('-') && line.includes('|')) continue;
    const h = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (h) {
      flush();
      const t = inline(h[2]);
      if (h[1].length === 1 && heading === undefined && t) heading = t;
      if (t) out.push(t, '');
      continue;
    }
    const li = /^\s*(?:[-*+]|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    if (li) {
      if (!isList) flush();
      isList = true;
      para.push((li[1] ? `${li[1]}. ` : '- ') + inline(li[2]));
      continue;
    }
    if (isList) {
      // continuation of the last list item
      para[para.length - 1] += ' ' + inline(line.trim());
      continue;
    }
    const hardBreak = / {2,}$|\\$/.test(line);
    const text = inline(line.trim().replace(/\\$/, ''));
    if (line.trimStart().startsWith('|')) {
      flush();
      out.push(text);
      continue;
    }
    para.push(text);
    if (hardBreak) {
      out.push(para.join(' '));
      para = [];
    }
  }
  flush();
  return { text: out.join('\n'), heading };
}

/**
 * Inline markup → text: images/links keep their text, code spans/emphasis lose their markers.
 * Every repetition is bounded so that hostile input (thousands of unclosed `[x](` or `**`) stays
 * linear-ish instead of quadratic.
 */
function inline(s: string): string {
  return s
    .replace(/!\[([^\]\n]{0,1000})\]\([^()\n]{0,2048}(?:\([^()\n]{0,2048}\)[^()\n]{0,2048})?\)/g, '$1')
    .replace(/!\[([^\]\n]{0,1000})\]\[[^\]\n]{0,200}\]/g, '$1')
    .replace(/\[([^\]\n]{1,1000})\]\([^()\n]{0,2048}(?:\([^()\n]{0,2048}\)[^()\n]{0,2048})?\)/g, '$1')
    .replace(/\[([^\]\n]{1,1000})\]\[[^\]\n]{0,200}\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]{1,2048})>/g, '$1')
    // raw HTML: a block-level tag or <br> separates words ("<h1>Hallo</h1><p>Die" → "Hallo Die",
    // not "HalloDie"); inline tags (<b>, <span>, …) go without a trace.
    .replace(/<\/?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)(?:\s[^<>\n]{0,1000})?\/?>/gi, ' ')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,1000})?\/?>/g, '')
    .replace(/ {2,}/g, ' ')
    .replace(/(`{1,3})([^`\n]{1,1000}?)\1/g, (_m, _t, c: string) => c.trim())
    .replace(/(\*\*|__)(?=\S)([^\n]{1,1000}?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)([^\n]{1,1000}?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*\n]{0,1000}?[^\s*])\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=[^\s_])([^_\n]{0,1000}?[^\s_])_(?![\w_])/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, '$1');
}
