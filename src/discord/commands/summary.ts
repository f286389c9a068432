/** /summary [document] [sentences] — a cited summary of one document or of all documents in scope. */
import {
  InteractionContextType,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { scopeOf, type BotContext } from '../context.js';
import { documentChoices, matchDocuments, notOneDocument } from '../documents.js';
import { replyError, sendMessages, summaryMessages } from '../reply.js';

export const data = new SlashCommandBuilder()
  .setName('summary')
  .setDescription('Summarise a document (or all documents) with cited passages')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((o) => o.setName('document').setDescription('Which document (default: all)').setAutocomplete(true))
  .addIntegerOption((o) => o.setName('sentences').setDescription('How many sentences (1–10)').setMinValue(1).setMaxValue(10));

export const rateLimited = true;

export async function execute(i: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const scope = scopeOf(i.guildId);
  const wanted = i.options.getString('document');
  const sentences = i.options.getInteger('sentences') ?? undefined;
  const docs = ctx.dossier.list(scope);
  const matches = wanted ? matchDocuments(docs, wanted) : [];
  const doc = matches.length === 1 ? matches[0] : undefined;
  if (wanted && !doc) return replyError(i, notOneDocument(matches, wanted, (q) => `No document here matches ${q}. Pick one from the list, or see /sources.`));
  if (docs.length === 0) return replyError(i, 'There are no documents to summarise yet.');
  await i.deferReply();
  const summary = await ctx.work.run(() => ctx.dossier.summarize({ documentId: doc?.id, scope, sentences }));
  await sendMessages(i, summaryMessages(summary, docs.length));
}

export async function autocomplete(i: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await i.respond(documentChoices(ctx.dossier.list(scopeOf(i.guildId)), i.options.getFocused()));
}
