/** /ask question:<text> — an answer with cited verbatim passages, searched in this server's scope. */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { scopeOf, type BotContext } from '../context.js';
import { answerMessages, replyError, sendMessages } from '../reply.js';
import { questionText } from '../../text/question-text.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the documents; the answer quotes its sources')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((o) =>
    o.setName('question').setDescription('Your question, in German or English').setRequired(true).setMinLength(2).setMaxLength(6000),
  );

export const rateLimited = true;

export async function execute(i: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const question = i.options.getString('question', true).trim();
  // The words the core reads (no mentions, links, markup): "<@123>" alone is no question.
  if (questionText(question).length < 2) return replyError(i, 'Please type a question (mentions, links and formatting alone are none).');
  if (question.length > ctx.config.MAX_QUESTION_CHARS) {
    return replyError(i, `Your question is ${question.length} characters long; the limit is ${ctx.config.MAX_QUESTION_CHARS}.`);
  }
  await i.deferReply();
  const answer = await ctx.work.run(() => ctx.dossier.ask(question, { scope: scopeOf(i.guildId) }));
  // The feedback record keeps the words the core read (no mentions, links or markup).
  ctx.answers.remember(i.id, { guildId: i.guildId, question: questionText(question), answer: answer.answer, citations: answer.citations });
  await sendMessages(i, answerMessages(answer, { feedbackId: i.id }));
}
