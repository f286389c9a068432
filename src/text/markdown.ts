/**
 * Showing untrusted text (document passages, LLM replies) literally in Discord Markdown. One
 * mechanism for every place that renders such text: citation embeds, the extractive answer line,
 * LLM answers and summaries.
 *
 * Discord's Markdown (Discord Help Center, "Markdown Text 101"; discord.js `escapeMarkdown` covers
 * the same set) has inline markup `* _ ~ \` | \\`, masked links `[text](url)`, block markup at a
 * line start (`#`, `##`, `###`, `-#` headings, `>`/`>>>` quotes, `-`/`*`/`+` and `1.` lists) and
 * mentions (`<@id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<t:…>`, `<:emoji:id>`, `@everyone`, `@here`).
 * Every one of them is backslash-escaped here ("@everyone" gets a zero-width space after "@").
 * Linear time, one regex pass per kind.
 */

const INLINE = /[\\*_~`|[\]()<>]/g;
const LINE_START = /^([ \t]*)([#>+-])/gm;
const NUMBERED = /^([ \t]*\d+)\.(?=\s)/gm;
const EVERYONE = /@(everyone|here)\b/gi;

/** `s` escaped so that Discord shows it literally: no emphasis, link, heading, quote, list or mention. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(INLINE, '\\$&')
    .replace(LINE_START, '$1\\$2')
    .replace(NUMBERED, '$1\\.')
    .replace(EVERYONE, '@\u200b$1');
}

/** Undo {@link escapeMarkdown} (and remove `**` bold) for plain-text output such as the terminal. */
export function unescapeMarkdown(s: string): string {
  return s
    .replace(/\*\*/g, '')
    .replace(/\\([\\*_~`|[\]()<>#+.-])/g, '$1')
    .replace(/@\u200b/g, '@');
}

/** Citation markers "[1]", "[1, 2]", "[1-3]" (kept unescaped so they read as citations). */
const MARKER = /\[\s*\d{1,4}(?:\s*(?:[,;]|[-–‐‑])\s*\d{1,4})*\s*\]/g;

/**
 * LLM text as plain Discord text: each stretch between citation markers escaped, the markers
 * kept; URLs that are not in `allowedUrlsText` (the cited passages) replaced by "‹link removed›";
 * code fences and line breaks collapsed to single spaces between sentences; at most `maxChars`.
 */
export function plainLlmText(text: string, allowedUrlsText: string, maxChars: number): string {
  const noUrls = text.replace(/\b(?:https?:\/\/|www\.)[^\s<>()[\]]+/gi, (u) => (allowedUrlsText.includes(u.replace(/[.,;:!?]+$/, '')) ? u : '‹link removed›'));
  const flat = noUrls.replace(/```+/g, ' ').replace(/\s*\n\s*/g, ' ').replace(/[ \t]{2,}/g, ' ').trim();
  const capped = flat.length > maxChars ? `${flat.slice(0, maxChars - 2).trimEnd()} …` : flat;
  let out = '';
  let pos = 0;
  for (const m of capped.matchAll(MARKER)) {
    out += escapeMarkdown(capped.slice(pos, m.index)) + m[0];
    pos = m.index + m[0].length;
  }
  return out + escapeMarkdown(capped.slice(pos));
}

/** Mentions, custom emoji and timestamp tags (Discord "Message Formatting" reference). */
const CHAT_TAG = /<(?:@[!&]?|#)\d{1,20}>|<a?:\w{1,32}:\d{1,20}>|<t:-?\d{1,13}(?::[tTdDfFR])?>/g;
/** A masked link `[text](scheme:…)`; group 1 is the text. */
const MASKED_LINK = /\[([^\[\]\n]{0,200})\]\(\s*<?[a-z][\w+.-]{0,20}:[^\s()]{0,2000}>?\s*\)/gi;
/** A bare link, optionally in `<…>` (which turns off Discord's preview). */
const BARE_URL = /<?\b(?:https?|ftp):\/\/[^\s<>]{1,2000}>?/gi;
/** Slash-command mentions `</name sub:id>` and guild navigation `<id:customize>`. */
const COMMAND_TAG = /<\/[\w -]{1,100}:\d{1,20}>|<id:\w{1,20}>/g;

/**
 * Where `s` holds a Discord chat construct: a mention, custom emoji, timestamp tag, slash-command
 * mention, `@everyone`/`@here`, masked link or bare link. Sorted, non-overlapping `[start, end)`
 * UTF-16 offsets. Highlighting must not put `**` inside one: it would split the construct (and,
 * for "@everyone", the zero-width space {@link escapeMarkdown} adds). Linear in `s`.
 */
export function chatConstructSpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const re of [CHAT_TAG, COMMAND_TAG, EVERYONE, BARE_URL]) {
    for (const m of s.matchAll(re)) spans.push([m.index, m.index + m[0].length]);
  }
  // A masked link's text is plain words (shown escaped, "\[rund 500 Kilometer\]"): only its
  // brackets and target are shielded, so an answer inside the text can still be bold and short.
  for (const m of s.matchAll(MASKED_LINK)) {
    const textEnd = m.index + 1 + m[1].length;
    spans.push([m.index, m.index + 1], [textEnd, m.index + m[0].length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const sp of spans) {
    const last = merged.at(-1);
    if (last && sp[0] < last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push(sp);
  }
  return merged;
}

/** Sticky: Markdown markers and then "everyone"/"here" right after an "@". */
const EVERYONE_AFTER_AT = /(?:\*|_|~~|\|\||`)*(?:everyone|here)\b/iy;

/**
 * Last line of defence for text that is already Discord Markdown (the core's answer line, a
 * summary): whatever produced it, the result holds no working mention, timestamp or emoji tag
 * (every unescaped `<` is escaped, which Discord shows as "<"), no masked link (an unescaped `(`
 * right after an unescaped `]` is escaped) and no "@everyone"/"@here", not even with emphasis
 * markers after the "@" (a zero-width space goes after it). Escaped pairs (`\x`), bold and
 * citation markers "[1]" are left as they are. Idempotent, linear in `md`.
 */
export function defuseChatMarkup(md: string): string {
  let out = '';
  let afterBracket = false;
  for (let i = 0; i < md.length; i++) {
    const c = md[i];
    if (c === '\\' && i + 1 < md.length) {
      out += c + md[++i];
      afterBracket = false;
      continue;
    }
    if (c === '<') out += '\\<';
    else if (c === '(' && afterBracket) out += '\\(';
    else if (c === '@') {
      EVERYONE_AFTER_AT.lastIndex = i + 1;
      out += EVERYONE_AFTER_AT.test(md) ? '@\u200b' : '@';
    } else out += c;
    afterBracket = c === ']';
  }
  return out;
}

/**
 * A chat message as words: Discord mentions and custom emoji (`<@123>`, `<@!123>`, `<@&123>`,
 * `<#123>`, `<:name:123>`, `<a:name:123>`, `<t:1700000000:R>`; Discord's "Message Formatting"
 * reference) and bare or masked links (`[text](https://…)` keeps its text) are removed, and
 * Markdown emphasis markers (`**`, `__`, `~~`, `||`, backticks) dropped, so they neither count as
 * question words nor decide the answer type. Linear in the input; whitespace is collapsed.
 */
export function chatPlainText(s: string): string {
  return s
    .replace(CHAT_TAG, ' ')
    .replace(MASKED_LINK, ' $1 ')
    .replace(BARE_URL, ' ')
    .replace(/\*\*|__|~~|\|\||`+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
