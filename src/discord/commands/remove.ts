/** /remove document:<autocomplete> — delete one of this server's own documents (moderators). */
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../context.js';
import { documentChoices, matchDocuments, notOneDocument, resolveDocument } from '../documents.js';
import { isModerator, MODERATOR_ONLY } from '../permissions.js';
import { escapeText, replyError, textMessage } from '../reply.js';

export const data = new SlashCommandBuilder()
  .setName('remove')
  .setDescription("Remove one of this server's documents (moderators)")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('document').setDescription('The document to remove').setRequired(true).setAutocomplete(true));

/** Documents that belong to this guild (shared ones cannot be removed from a guild). */
function ownDocuments(ctx: BotContext, guildId: string) {
  return ctx.dossier.list(guildId).filter((d) => d.scope === guildId);
}

export async function execute(i: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!i.guildId) return replyError(i, 'Documents can only be removed inside a server.');
  if (!isModerator(i, ctx.config.MODERATOR_ROLE_ID)) return replyError(i, MODERATOR_ONLY);
  const wanted = i.options.getString('document', true);
  const own = matchDocuments(ownDocuments(ctx, i.guildId), wanted);
  const doc = own.length === 1 ? own[0] : undefined;
  if (!doc) {
    const shared = own.length === 0 ? resolveDocument(ctx.dossier.list(i.guildId), wanted) : undefined;
    return replyError(
      i,
      shared
        ? `“${escapeText(shared.title)}” is shared by all servers and cannot be removed here.`
        : notOneDocument(own, wanted, (q) => `This server has no document matching ${q}.`),
    );
  }
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const removed = await ctx.dossier.remove(doc.id, i.guildId);
  ctx.log.info({ guild: i.guildId, user: i.user.id, doc: doc.id, removed }, 'remove');
  await i.editReply(textMessage(removed ? `🗑️ Removed “${escapeText(doc.title)}”.` : `“${escapeText(doc.title)}” was already gone.`));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await i.respond(i.guildId ? documentChoices(ownDocuments(ctx, i.guildId), i.options.getFocused()) : []);
}
