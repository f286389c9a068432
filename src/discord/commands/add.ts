/**
 * /add — add a document to this server's corpus (moderators): pasted text, an attached file
 * (.txt, .md, .html, .pdf), or a URL; optional title. Documents added here have scope = guild id and are searched
 * only in this server.
 */
import path from 'node:path';
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { InputError } from '../../corpus/types.js';
import { EXTENSION_FORMATS } from '../../corpus/parse.js';
import type { BotContext } from '../context.js';
import { isModerator, MODERATOR_ONLY } from '../permissions.js';
import { escapeText, replyError, textMessage } from '../reply.js';

/** Attachment types accepted (those the core's parsers read: src/corpus/parse.ts). */
export const FILE_EXTENSIONS = Object.keys(EXTENSION_FORMATS);

export const data = new SlashCommandBuilder()
  .setName('add')
  .setDescription("Add a document to this server's corpus (moderators)")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('text').setDescription('The document text').setMaxLength(6000))
  .addAttachmentOption((o) => o.setName('file').setDescription('A .txt, .md, .html or .pdf file'))
  .addStringOption((o) => o.setName('url').setDescription('A web page to fetch').setMaxLength(2000))
  .addStringOption((o) => o.setName('title').setDescription('Title (default: taken from the document)').setMaxLength(200));

export const rateLimited = true;

/** An attachment's file name as echoed in a reply: Markdown and mentions escaped, at most 100 characters. */
function shownName(name: string): string {
  const one = name.replace(/\s+/g, ' ').trim();
  return escapeText(one.length > 100 ? `${one.slice(0, 99)}…` : one);
}

export async function execute(i: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!i.guildId) return replyError(i, 'Documents can only be added inside a server.');
  if (!isModerator(i, ctx.config.MODERATOR_ROLE_ID)) return replyError(i, MODERATOR_ONLY);
  const text = i.options.getString('text') ?? undefined;
  const file = i.options.getAttachment('file') ?? undefined;
  const url = i.options.getString('url')?.trim() || undefined;
  const title = i.options.getString('title')?.trim() || undefined;
  if ([text, file, url].filter((x) => x !== undefined).length !== 1) {
    return replyError(i, 'Give exactly one of `text`, `file` or `url`.');
  }
  if (file) {
    const ext = path.extname(file.name).toLowerCase();
    if (!FILE_EXTENSIONS.includes(ext)) {
      return replyError(i, `“${shownName(file.name)}” is not a format I can read; attach one of ${FILE_EXTENSIONS.join(', ')}.`);
    }
    if (file.size > ctx.config.MAX_FILE_BYTES) {
      return replyError(i, `“${shownName(file.name)}” is ${formatBytes(file.size)}; the limit is ${formatBytes(ctx.config.MAX_FILE_BYTES)}.`);
    }
  }
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const bytes = file ? await download(file.url, ctx.config.MAX_FILE_BYTES, ctx.config.FETCH_TIMEOUT_MS) : undefined;
  const result = await ctx.work.run(() => ctx.dossier.ingest({ text, bytes, filename: file?.name, url, title, scope: i.guildId! }));
  const d = result.document;
  ctx.log.info({ guild: i.guildId, user: i.user.id, doc: d.id, status: result.status }, 'add');
  const verb = { added: 'Added', replaced: 'Updated', unchanged: 'Already had' }[result.status];
  await i.editReply(
    textMessage(
      `✅ ${verb} “${escapeText(d.title)}”${d.date ? ` (${escapeText(d.date)})` : ''}: ${d.chars.toLocaleString('en')} character${d.chars === 1 ? '' : 's'}, ` +
        `${d.chunks.toLocaleString('en')} passage${d.chunks === 1 ? '' : 's'}. Only this server can ask about it. Id: \`${d.id}\``,
    ),
  );
}

/**
 * Download an attachment from Discord's CDN with a size cap and timeout.
 * @throws InputError when it is too large, times out or the download fails.
 */
export async function download(url: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const timeout = (e as Error).name === 'TimeoutError';
    throw new InputError(timeout ? 'Downloading the file timed out.' : 'The file could not be downloaded.', timeout ? 'fetch-timeout' : 'fetch-failed');
  }
  if (!res.ok || !res.body) throw new InputError(`The file could not be downloaded (HTTP ${res.status}).`, 'fetch-failed');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > maxBytes) throw new InputError(`The file is larger than ${formatBytes(maxBytes)}.`, 'too-large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
