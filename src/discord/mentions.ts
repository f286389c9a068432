/**
 * Mention mode (config MENTIONS=true): a message that mentions the bot is answered in a new thread
 * started from it; any later message in that thread is answered too, with the thread's previous
 * question passed to the core as context (so "und wann?" can be understood).
 * A mention whose question is empty once mentions, links and markup are dropped (src/text/
 * question-text.ts) gets {@link ASK_ME_TEXT} and no thread; a question the core refuses
 * (InputError) gets the core's message; threads are named by {@link threadName}.
 * Needs the GuildMessages and (privileged) MessageContent intents.
 */
import type { Message, SendableChannels } from 'discord.js';
import { isUserFacing, type BotContext } from './context.js';
import { answerMessages, escapeText, fitText, textMessage } from './reply.js';
import { questionText } from '../text/question-text.js';

/** Discord thread names: 1–100 characters (Discord API docs, "Start Thread from Message"). */
export const THREAD_NAME_CHARS = 100;

/** The reply to a mention without a question (also when only mentions, links or markup follow it). */
export const ASK_ME_TEXT = 'Ask me a question about the documents, e.g. “@me Wie viele Drohnen sollen geliefert werden?”';

/**
 * The name of the thread opened for a question: its words as the core reads them and the answer's
 * title shows them (src/text/question-text.ts: no mentions, links or emphasis markers), "@everyone"
 * and "@here" broken by a zero-width space (names show text literally, so no backslash escapes),
 * at most {@link THREAD_NAME_CHARS} characters, cut between words with " …".
 * @param plain the cleaned question, non-empty.
 */
export function threadName(plain: string): string {
  return fitText(plain.replace(/@(everyone|here)\b/gi, '@\u200b$1'), THREAD_NAME_CHARS).text;
}

export class MentionHandler {
  /** thread id → the last question asked in it (most recent threads kept). */
  private readonly lastQuestion = new Map<string, string>();

  constructor(
    private readonly ctx: BotContext,
    private readonly maxThreads = 5000,
  ) {}

  /** Handle one MESSAGE_CREATE; ignores everything not addressed to the bot. Never throws. */
  async handle(message: Message): Promise<void> {
    if (message.author.bot || message.system || !message.inGuild()) return;
    const me = message.client.user.id;
    const channel = message.channel;
    const ownThread = channel.isThread() && channel.ownerId === me;
    if (!ownThread && !message.mentions.users.has(me)) return;

    let target: SendableChannels = channel;
    try {
      const question = message.content.replace(new RegExp(`<@!?${me}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
      // Checked on the words the core will read, so "<@123>" or a bare link is no question either.
      const plain = questionText(question);
      if (plain.length < 2) {
        await message.reply(textMessage(ASK_ME_TEXT));
        return;
      }
      if (plain.length > this.ctx.config.MAX_QUESTION_CHARS) {
        await message.reply(textMessage(`That question is too long (limit ${this.ctx.config.MAX_QUESTION_CHARS} characters).`));
        return;
      }
      const wait = this.ctx.limiter.take(message.author.id);
      if (wait > 0) {
        await message.reply(textMessage(`You're going a bit fast: try again in ${Math.ceil(wait / 1000)} s.`));
        return;
      }
      let context: string | undefined;
      if (ownThread) {
        context = this.lastQuestion.get(channel.id) ?? (await this.starterQuestion(message, me));
      } else if (!channel.isThread()) {
        target = await message
          .startThread({ name: threadName(plain), autoArchiveDuration: 1440 })
          .catch((e: unknown) => {
            this.ctx.log.warn({ err: e, channel: channel.id }, 'could not start a thread; answering in the channel');
            return channel;
          });
      }
      await target.sendTyping().catch(() => undefined);
      const answer = await this.ctx.work.run(() => this.ctx.dossier.ask(question, { scope: message.guildId, context }));
      // Feedback records and the thread's context keep the words the core read (no mentions or links).
      this.ctx.answers.remember(message.id, { guildId: message.guildId, question: plain, answer: answer.answer, citations: answer.citations });
      for (const part of answerMessages(answer, { feedbackId: message.id })) await target.send(part);
      if (target.isThread()) this.remember(target.id, plain);
    } catch (e) {
      if (isUserFacing(e)) {
        // The core refused the input (InputError): its message is for the user, no stack trace.
        this.ctx.log.info({ message: message.id, guild: message.guildId, reason: (e as Error & { reason?: string }).reason }, `refused: ${e.message}`);
        await target.send(textMessage(`⚠️ ${escapeText(e.message)}`)).catch(() => undefined);
        return;
      }
      this.ctx.log.error({ err: e, message: message.id, guild: message.guildId }, 'mention failed');
      await target.send(textMessage('⚠️ Sorry, something went wrong while answering. The error was logged.')).catch(() => undefined);
    }
  }

  private remember(threadId: string, question: string): void {
    this.lastQuestion.delete(threadId);
    this.lastQuestion.set(threadId, question);
    if (this.lastQuestion.size > this.maxThreads) this.lastQuestion.delete(this.lastQuestion.keys().next().value as string);
  }

  /** After a restart: the question is the message the thread was started from. */
  private async starterQuestion(message: Message<true>, me: string): Promise<string | undefined> {
    if (!message.channel.isThread()) return undefined;
    const starter = await message.channel.fetchStarterMessage().catch(() => null);
    return questionText(starter?.content.replace(new RegExp(`<@!?${me}>`, 'g'), ' ') ?? '') || undefined;
  }
}
