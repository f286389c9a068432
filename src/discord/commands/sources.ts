/** /sources — the documents this server can ask about: shared ones and its own. */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { scopeOf, type BotContext } from '../context.js';
import { sendMessages, sourcesMessages } from '../reply.js';

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the documents the bot answers from')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(i: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await i.deferReply();
  await sendMessages(i, sourcesMessages(ctx.dossier.list(scopeOf(i.guildId)), i.guildId));
}
