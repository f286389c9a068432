/**
 * Turning answers, summaries and document lists into Discord messages that Discord accepts.
 *
 * Limits (Discord API docs, "Message resource" and "Embed limits"): content 2000 characters,
 * 10 embeds per message, embed title 256, description 4096, footer 2048, and 6000 characters
 * across all embeds of one message. Long texts are split at sentence boundaries (a citation marker
 * like "[2]" stays with its sentence), passages are trimmed at sentence boundaries, and one
 * citation is never spread over two embeds or messages. Every message carries
 * `allowedMentions: { parse: [] }` so that "@everyone" or "<@id>" in a document pings nobody.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type RepliableInteraction,
} from 'discord.js';
import type { Answer, Citation, Summary } from '../answer/types.js';
import { defuseChatMarkup, escapeMarkdown } from '../text/markdown.js';
import { cleanDate } from '../corpus/parse.js';
import type { DocumentInfo } from '../core.js';

export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  title: 256,
  description: 4096,
  footer: 2048,
  embedTotal: 6000,
} as const;

/** Ping nobody, whatever the text contains. */
export const NO_PINGS = { parse: [] as never[] };

export interface OutgoingMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: typeof NO_PINGS;
}

export type { DocumentInfo };

const COLOR_ANSWER = 0x2f6fb5;
const COLOR_ABSTAIN = 0x8a8f98;
const COLOR_PASSAGE = 0xd9dde3;
const ELLIPSIS = ' …';

// ---------------------------------------------------------------- text fitting

/**
 * A sentence ends after . ! ? or … (plus closing quotes/brackets and any citation markers such as
 * " [1][2]") when whitespace follows that is not itself followed by a citation marker.
 */
const BOUNDARY = /(?<=[.!?…]["'»«“”‘’)\]]*(?:\s*\[\d+\])*)\s+(?!\[\d+\])|\n+/g;

/** `text` cut into sentences; each piece keeps its trailing whitespace, so joining gives `text`. */
export function sentencePieces(text: string): string[] {
  const pieces: string[] = [];
  let last = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    if (end > last) pieces.push(text.slice(last, end));
    last = end;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/**
 * Split `text` into parts whose rendering (`render(part)`) is at most `max` characters, breaking
 * between sentences; a sentence that alone is too long is broken between words, a word that alone
 * is too long is cut. Parts are trimmed; no part is empty.
 */
export function splitText(text: string, max: number, render: (s: string) => string = (s) => s): string[] {
  // Rendered sizes are summed piece by piece (linear time). Escaping a piece on its own never
  // yields less than escaping it inside the whole text, so the sums are safe upper bounds.
  const size = (s: string) => render(s).length;
  const parts: string[] = [];
  let current = '';
  let currentSize = 0;
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
    currentSize = 0;
  };
  const add = (pieces: string[], level: 'sentence' | 'word' | 'char') => {
    for (const piece of pieces) {
      const body = piece.trimEnd();
      const bodySize = size(body);
      const pieceSize = bodySize + (piece.length - body.length);
      if (currentSize + bodySize <= max) {
        current += piece;
        currentSize += pieceSize;
        continue;
      }
      flush();
      if (bodySize <= max) {
        current = piece;
        currentSize = pieceSize;
      } else if (level === 'sentence') add(piece.split(/(?<=\s)/), 'word');
      else if (level === 'word') add(Array.from(piece), 'char');
      // else: a single character whose rendering exceeds max cannot be placed (max < 2)
    }
  };
  add(sentencePieces(text), 'sentence');
  flush();
  return parts;
}

/**
 * The longest run of whole sentences from the start of `text` that fits in `max` characters after
 * rendering; `truncated` says whether anything was left out (then `text` ends with " …").
 */
export function fitText(text: string, max: number, render: (s: string) => string = (s) => s): { text: string; truncated: boolean } {
  const whole = text.trim();
  if (render(whole).length <= max) return { text: render(whole), truncated: false };
  const first = splitText(whole, max - ELLIPSIS.length, render)[0] ?? '';
  return { text: render(first) + ELLIPSIS, truncated: true };
}

// ---------------------------------------------------------------- embeds → messages

/** Characters of an embed that count towards Discord's 6000 limit. */
export function embedSize(e: APIEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + fields;
}

/** Group embeds, in order, into as few messages as Discord's per-message limits allow. */
export function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const e of embeds) {
    const n = embedSize(e);
    if (current.length && (current.length === LIMITS.embedsPerMessage || size + n > LIMITS.embedTotal)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += n;
  }
  if (current.length) messages.push(current);
  return messages;
}

/**
 * Show `s` literally in Discord Markdown (src/text/markdown.ts: inline markup, masked links,
 * line-initial block markup, mentions). Linear time (discord.js's escapeMarkdown takes ~25 ms
 * per 4 kB, too slow for splitting long passages).
 */
export const escapeText = escapeMarkdown;
const md = escapeText;
const oneLine = (s: string, max: number) => fitText(s.replace(/\s+/g, ' '), max).text;

/**
 * A document date for an embed footer. Footers show text literally (no Markdown), so a valid date
 * (src/corpus/parse.ts cleanDate, as every stored date is since ingest checks them) goes as it
 * is; anything else (a row stored before the check) is escaped with the shared escaper.
 */
function footerDate(date: string | null | undefined): string | null {
  if (!date) return null;
  return cleanDate(date) === date ? date : fitText(date.replace(/\s+/g, ' '), 64, md).text;
}

/** One embed per cited passage: "[n] Title", the verbatim quote, footer "date · position". */
export function citationEmbed(c: Citation): APIEmbed {
  const prefix = `[${c.n}] `;
  const title = prefix + fitText(c.document.title.replace(/\s+/g, ' '), LIMITS.title - prefix.length, md).text;
  let quote = fitText(c.quote, LIMITS.description - 4, md);
  // Escaping is measured piece by piece; shrink until the rendered quote surely fits.
  for (let budget = LIMITS.description - 204; `>>> ${quote.text}`.length > LIMITS.description && budget > 0; budget -= 200) {
    quote = fitText(c.quote, budget, md);
  }
  const footer = [footerDate(c.document.date), c.position, quote.truncated ? 'excerpt' : null].filter(Boolean).join(' · ');
  return {
    title,
    description: `>>> ${quote.text}`,
    color: COLOR_PASSAGE,
    ...(footer ? { footer: { text: footer } } : {}),
  };
}

/**
 * Main text as one or more embeds (title only on the first). The text is the core's answer or
 * summary, which is already Discord Markdown (bold answer span, escaped document characters);
 * {@link defuseChatMarkup} makes sure no mention, timestamp tag, masked link or "@everyone" in it
 * works, whatever produced it.
 */
function textEmbeds(title: string, text: string, color: number): APIEmbed[] {
  const parts = splitText(defuseChatMarkup(text.trim() || '—'), LIMITS.description);
  return parts.map((description, i) => ({ ...(i === 0 ? { title: oneLine(title, LIMITS.title) } : {}), description, color }));
}

function feedbackRow(feedbackId: string): APIActionRowComponent<APIButtonComponent> {
  const button = (vote: 'up' | 'down', emoji: string, label: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: `fb:${vote}:${feedbackId}`,
    emoji: { name: emoji },
    label,
  });
  return { type: ComponentType.ActionRow, components: [button('up', '👍', 'Helpful'), button('down', '👎', 'Not helpful')] };
}

function toMessages(embeds: APIEmbed[], feedbackId?: string): OutgoingMessage[] {
  const messages: OutgoingMessage[] = packEmbeds(embeds).map((e) => ({ embeds: e, allowedMentions: NO_PINGS }));
  if (feedbackId) messages[messages.length - 1].components = [feedbackRow(feedbackId)];
  return messages;
}

/**
 * The messages for an answer: the question as title, the answer text, then each cited passage.
 * @param opts.feedbackId when set, 👍/👎 buttons with custom ids `fb:up:<id>` / `fb:down:<id>`
 *   go under the last message.
 */
export function answerMessages(answer: Answer, opts: { feedbackId?: string } = {}): OutgoingMessage[] {
  // The question is the user's own text: escaped like document titles, so `[x](https://…)` or
  // `<@id>` in it shows literally instead of as a masked link or a mention chip.
  const question = fitText(answer.question.replace(/\s+/g, ' '), LIMITS.title, md).text;
  const head = textEmbeds(question, answer.answer, answer.abstained || answer.notStated ? COLOR_ABSTAIN : COLOR_ANSWER);
  return toMessages([...head, ...answer.citations.map(citationEmbed)], opts.feedbackId);
}

/** The messages for a summary: title, summary text, cited passages. */
export function summaryMessages(summary: Summary, documentCount?: number): OutgoingMessage[] {
  const title = summary.document
    ? `Summary: ${md(summary.document.title)}${summary.document.date ? ` (${md(summary.document.date)})` : ''}`
    : `Summary of ${documentCount ?? 'all'} documents`;
  return toMessages([...textEmbeds(title, summary.text, COLOR_ANSWER), ...summary.citations.map(citationEmbed)]);
}

/** The document list: one line per document, shared ones first. */
export function sourcesMessages(docs: DocumentInfo[], guildId: string | null): OutgoingMessage[] {
  if (docs.length === 0) {
    return [{ embeds: [{ title: 'Documents', description: 'No documents yet. Moderators can add some with /add.', color: COLOR_ANSWER }], allowedMentions: NO_PINGS }];
  }
  const sorted = [...docs].sort((a, b) => Number(a.scope !== null) - Number(b.scope !== null) || a.title.localeCompare(b.title));
  const lines = sorted.map((d) => {
    const where = d.scope === null ? 'shared' : d.scope === guildId ? 'this server' : 'other';
    const flagged = d.instructions ? `⚠️ ${d.instructions} instruction-like sentence${d.instructions === 1 ? '' : 's'}` : null;
    const meta = [d.date ? fitText(d.date.replace(/\s+/g, ' '), 64, md).text : null, `${d.chars.toLocaleString('en')} chars`, where, `\`${d.id}\``, flagged].filter(Boolean).join(' · ');
    return `• **${md(oneLine(d.title, 200))}** — ${meta}`;
  });
  const descriptions: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > LIMITS.description) {
      descriptions.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  descriptions.push(current);
  const embeds = descriptions.map((description, i) => ({
    ...(i === 0 ? { title: `Documents (${docs.length})` } : {}),
    description,
    color: COLOR_ANSWER,
  }));
  return toMessages(embeds);
}

// ---------------------------------------------------------------- sending

/** Send prepared messages as the reply to a deferred interaction: first edits, rest follow up. */
export async function sendMessages(i: RepliableInteraction, messages: OutgoingMessage[]): Promise<void> {
  const [first, ...rest] = messages;
  await i.editReply(first);
  for (const m of rest) await i.followUp(m);
}

/**
 * A short text reply that pings nobody (content trimmed to Discord's 2000) and shows no mention
 * chip, timestamp tag or masked link ({@link defuseChatMarkup}; quoted input is escaped already).
 */
export function textMessage(text: string): { content: string; allowedMentions: typeof NO_PINGS } {
  return { content: fitText(defuseChatMarkup(text), LIMITS.content).text, allowedMentions: NO_PINGS };
}

/**
 * Tell only the user who asked that something went wrong. Works in every state: not yet
 * acknowledged (ephemeral reply), deferred ephemerally (edit), deferred publicly (the public
 * "thinking…" message is deleted and an ephemeral follow-up sent), or already answered (follow-up).
 */
export async function replyError(i: RepliableInteraction, text: string): Promise<void> {
  const msg = textMessage(`⚠️ ${text}`);
  if (!i.deferred && !i.replied) {
    await i.reply({ ...msg, flags: MessageFlags.Ephemeral });
  } else if (i.deferred && !i.replied && i.ephemeral) {
    await i.editReply(msg);
  } else {
    if (i.deferred && !i.replied) await i.deleteReply().catch(() => undefined);
    await i.followUp({ ...msg, flags: MessageFlags.Ephemeral });
  }
}
