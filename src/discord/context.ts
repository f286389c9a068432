/**
 * What command handlers get: the core (as the narrow interface the bot needs), the configuration,
 * the feedback store, the rate limiter and a memory of recent answers (for 👍/👎 buttons).
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DocumentInfo, IngestResult } from '../core.js';
import type { Answer, Citation, Summary } from '../answer/types.js';
import type { FeedbackStore } from '../store/feedback.js';
import type { RateLimiter } from './rate-limit.js';
import type { WorkQueue } from './queue.js';

/**
 * The part of the core (class Dossier in src/core.ts) the bot uses. Scopes: a guild id sees the
 * shared documents (scope null) plus its own; null sees the shared ones only.
 */
export interface DossierApi {
  ask(question: string, opts?: { scope?: string | null; context?: string }): Promise<Answer>;
  summarize(opts: { documentId?: string; scope?: string | null; sentences?: number }): Promise<Summary>;
  /** @throws InputError with a message meant for the user. */
  ingest(input: {
    text?: string;
    bytes?: Uint8Array;
    filename?: string;
    url?: string;
    title?: string;
    scope?: string | null;
  }): Promise<Pick<IngestResult, 'status' | 'document'>>;
  remove(id: string, scope: string | null): Promise<boolean>;
  list(scope: string | null): DocumentInfo[];
}

/**
 * True for errors whose message was written for the person who caused them: the core's
 * InputError (src/corpus/types.ts; empty or too long question, unreadable file, refused URL),
 * matched by name so that an error from another copy of the module counts too.
 */
export function isUserFacing(e: unknown): e is Error {
  return e instanceof Error && e.name === 'InputError';
}

/** What a 👍/👎 vote refers to: the answer as it was shown. */
export interface AnswerRecord {
  guildId: string | null;
  question: string;
  answer: string;
  citations: Citation[];
}

/**
 * The last `max` answers by key (interaction id, or the id of the message that asked), so that a
 * vote can be stored with the question, answer and citations it is about. Oldest are dropped.
 */
export class RecentAnswers {
  private readonly map = new Map<string, AnswerRecord>();
  constructor(private readonly max = 2000) {}

  remember(key: string, record: AnswerRecord): void {
    this.map.delete(key);
    this.map.set(key, record);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get(key: string): AnswerRecord | undefined {
    return this.map.get(key);
  }
}

export interface BotContext {
  dossier: DossierApi;
  config: Config;
  feedback: FeedbackStore;
  limiter: RateLimiter;
  answers: RecentAnswers;
  /** Core calls go through this queue so acknowledgements are never starved. */
  work: WorkQueue;
  log: Logger;
}

/** One slash command: its definition and handlers (one module per command in ./commands). */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Counted against the per-user rate limit (RATE_LIMIT_PER_MINUTE). */
  rateLimited?: boolean;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** The scope of documents a guild sees: its own (scope = guild id) plus the shared ones (null). */
export function scopeOf(guildId: string | null | undefined): string | null {
  return guildId ?? null;
}
