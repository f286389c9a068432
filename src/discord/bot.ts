/**
 * The Discord bot: a discord.js v14 Client that routes slash commands, autocomplete and 👍/👎
 * buttons to the handlers in ./commands, and (with MENTIONS=true) answers mentions in threads.
 *
 * Intents are minimal: Guilds (needed for interactions in cached guilds); GuildMessages and the
 * privileged MessageContent only in mention mode. Every handler acknowledges within Discord's
 * 3-second window (deferReply first, then the work); failures are logged and reported to the
 * user ephemerally.
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { log } from '../log.js';
import type { FeedbackStore, Vote } from '../store/feedback.js';
import { commands } from './commands/index.js';
import { isUserFacing, RecentAnswers, type AnswerRecord, type BotContext, type Command, type DossierApi } from './context.js';
import { MentionHandler } from './mentions.js';
import { RateLimiter } from './rate-limit.js';
import { WorkQueue } from './queue.js';
import { registerCommands } from './register.js';
import { escapeText, replyError, textMessage } from './reply.js';

/** The gateway intents the bot asks for under `config`. */
export function intentsFor(config: Pick<Config, 'MENTIONS'>): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds];
  if (config.MENTIONS) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  return intents;
}

export interface BotOptions {
  dossier: DossierApi;
  config: Config;
  feedback: FeedbackStore;
  logger?: Logger;
  /** Extra discord.js client options (tests). */
  clientOptions?: Partial<ClientOptions>;
}

export class DossierBot {
  readonly client: Client;
  readonly ctx: BotContext;
  private readonly commands = new Map<string, Command>(commands.map((c) => [c.data.name, c]));
  private readonly mentions: MentionHandler;
  /** Interactions being handled → when they arrived (see WorkQueue and awaitingAck). */
  private readonly unacked = new Map<Interaction, number>();

  constructor(opts: BotOptions) {
    const logger = (opts.logger ?? log()).child({ component: 'discord' });
    this.ctx = {
      dossier: opts.dossier,
      config: opts.config,
      feedback: opts.feedback,
      limiter: new RateLimiter(opts.config.RATE_LIMIT_PER_MINUTE),
      answers: new RecentAnswers(),
      work: new WorkQueue(() => this.awaitingAck()),
      log: logger,
    };
    this.client = new Client({
      intents: intentsFor(opts.config),
      rest: { api: opts.config.DISCORD_API_BASE },
      allowedMentions: { parse: [] },
      ...opts.clientOptions,
    });
    this.mentions = new MentionHandler(this.ctx);
    this.client.on(Events.InteractionCreate, (i) => void this.onInteraction(i));
    if (opts.config.MENTIONS) this.client.on(Events.MessageCreate, (m) => void this.mentions.handle(m));
    this.client.on(Events.Error, (e) => logger.error({ err: e }, 'discord client error'));
    this.client.on(Events.ShardResume, (id, replayed) => logger.info({ shard: id, replayed }, 'gateway resumed'));
    this.client.on(Events.ShardDisconnect, (ev, id) => logger.warn({ shard: id, code: ev.code }, 'gateway disconnected'));
  }

  /**
   * Log in, wait for READY, then register the slash commands if REGISTER_COMMANDS is set.
   * @throws Error with a readable message when the token is missing or rejected.
   */
  async start(): Promise<void> {
    const { config } = this.ctx;
    if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(config.DISCORD_TOKEN);
    await ready;
    const user = this.client.user!;
    this.ctx.log.info({ user: user.tag, id: user.id, guilds: this.client.guilds.cache.size, shards: this.client.shard?.ids }, 'logged in to Discord');
    // Under a ShardingManager only the shard holding shard 0 registers (one PUT, not N).
    if (config.REGISTER_COMMANDS && (this.client.shard?.ids.includes(0) ?? true)) {
      const appId = config.DISCORD_APP_ID ?? this.client.application!.id;
      const result = await registerCommands(this.client.rest, appId, config.REGISTER_COMMANDS);
      this.ctx.log.info(result, 'registered slash commands');
    }
  }

  /** Disconnect from Discord. Idempotent. */
  async stop(): Promise<void> {
    await this.client.destroy();
  }

  /** True while some interaction received in the last 3 s still waits for its acknowledgement. */
  private awaitingAck(): boolean {
    const now = Date.now();
    for (const [i, receivedAt] of this.unacked) {
      const acked = i.isAutocomplete() ? i.responded : i.isRepliable() ? i.deferred || i.replied : true;
      if (acked || now - receivedAt > 3000) this.unacked.delete(i);
    }
    return this.unacked.size > 0;
  }

  private async onInteraction(i: Interaction): Promise<void> {
    this.unacked.set(i, Date.now());
    try {
      if (i.isChatInputCommand()) await this.onCommand(i);
      else if (i.isAutocomplete()) await this.onAutocomplete(i);
      else if (i.isButton() && i.customId.startsWith('fb:')) await this.onFeedback(i);
    } catch (e) {
      await this.onError(i, e);
    } finally {
      this.unacked.delete(i);
    }
  }

  private async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const command = this.commands.get(i.commandName);
    if (!command) return replyError(i, `Unknown command /${i.commandName}. The bot may have been updated; try again shortly.`);
    if (command.rateLimited) {
      const wait = this.ctx.limiter.take(i.user.id);
      if (wait > 0) return replyError(i, `You're going a bit fast: try again in ${Math.ceil(wait / 1000)} s.`);
    }
    this.ctx.log.debug({ command: i.commandName, guild: i.guildId, user: i.user.id, interaction: i.id }, 'command');
    await command.execute(i, this.ctx);
  }

  private async onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const command = this.commands.get(i.commandName);
    if (command?.autocomplete) await command.autocomplete(i, this.ctx);
    else await i.respond([]);
  }

  private async onFeedback(i: ButtonInteraction): Promise<void> {
    const [, vote, key] = i.customId.split(':');
    if ((vote !== 'up' && vote !== 'down') || !key) return replyError(i, 'Unknown button.');
    const record = this.ctx.answers.get(key) ?? answerFromMessage(i);
    const status = await this.ctx.feedback.record({ interactionId: key, userId: i.user.id, vote: vote as Vote, ...record, guildId: i.guildId });
    this.ctx.log.info({ answer: key, user: i.user.id, vote, status }, 'feedback');
    const text = status === 'changed' ? 'Vote changed. Thanks!' : 'Thanks for the feedback!';
    await i.reply({ ...textMessage(`${vote === 'up' ? '👍' : '👎'} ${text}`), flags: MessageFlags.Ephemeral });
  }

  private async onError(i: Interaction, e: unknown): Promise<void> {
    const command = i.isCommand() || i.isAutocomplete() ? i.commandName : i.isButton() ? i.customId : undefined;
    if (isUserFacing(e)) {
      this.ctx.log.info({ interaction: i.id, command, reason: (e as Error & { reason?: string }).reason }, `refused: ${e.message}`);
    } else {
      this.ctx.log.error({ err: e, interaction: i.id, command, guild: i.guildId }, 'interaction failed');
    }
    if (e instanceof DiscordAPIError && (e.code === 10062 || e.code === 40060)) return; // too late to answer
    try {
      if (i.isAutocomplete()) {
        if (!i.responded) await i.respond([]);
      } else if (i.isRepliable()) {
        // The core's messages are plain text that may quote the user's input (a URL, a file name):
        // escaped, so `[x](https://…)` in a refused URL is no live masked link.
        await replyError(i, isUserFacing(e) ? escapeText(e.message) : `Something went wrong (reference ${i.id}). The error was logged.`);
      }
    } catch (err) {
      this.ctx.log.warn({ err, interaction: i.id }, 'could not report the error to the user');
    }
  }
}

/** After a restart the answer is no longer in memory: take what the message shows. */
function answerFromMessage(i: ButtonInteraction): AnswerRecord {
  const first = i.message.embeds[0];
  return { guildId: i.guildId, question: first?.title ?? '', answer: first?.description ?? '', citations: [] };
}
