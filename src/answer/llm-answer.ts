/**
 * Optional LLM rewording of extractive answers and summaries. The LLM only ever replaces the
 * answer/summary *text*; the citations stay the verbatim passages the extractive step found.
 *
 * One deadline per answer (LlmClient.deadlineMs, LLM_DEADLINE_MS) covers the wait for a slot,
 * every attempt, every backoff and the one language retry. The reply must pass verify.ts; when
 * it fails only because it is in another language than the question, the model is asked once
 * more with the instruction, then the extractive result is kept. Whenever the LLM is off, fails,
 * runs past the deadline or its reply fails verification, the extractive result is returned with
 * `llmFallback` saying why, and one info line is logged ("disabled" at debug: the default setup).
 * A reply shown is plain text (src/text/markdown.ts plainLlmText): no links, headings, code
 * fences or mentions, at most MAX_REPLY_CHARS.
 */
import { log } from '../log.js';
import { plainLlmText } from '../text/markdown.js';
import { LlmError, type ChatMessage, type LlmClient } from './llm.js';
import { buildAnswerMessages, buildSummaryMessages, languageName } from './prompt.js';
import type { Answer, Citation, LlmFallback, Summary } from './types.js';
import { MAX_REPLY_CHARS, verifyReply, type VerifyOptions, type VerifyProblem } from './verify.js';

export interface LlmAnswerOptions {
  /** ISO 639-1 code of the question (answer language) when known; else the model infers it. */
  language?: string | null;
  /** Hooks passed to {@link verifyReply} (dictionary lookups). */
  verify?: Pick<VerifyOptions, 'isCommonWord' | 'translate'>;
  /** Cancels the LLM call (the extractive result is returned). */
  signal?: AbortSignal;
}

/** Why the extractive result was kept. */
export type FallbackReason = 'disabled' | 'nothing-to-cite' | 'llm-error' | 'verification-failed';

/** The outcome of one LLM attempt, reported to an optional observer (metrics, tests). */
export interface LlmOutcome {
  used: boolean;
  reason?: FallbackReason;
  error?: LlmError;
  problems?: VerifyProblem[];
  /** Chat calls made (2 when the language retry ran). */
  calls?: number;
}

type Client = Pick<LlmClient, 'enabled' | 'chat'> & { readonly deadlineMs?: number };

/** Default deadline when the client does not say (ms). */
const DEFAULT_DEADLINE_MS = 20_000;

function fallbackOf(o: LlmOutcome): LlmFallback | undefined {
  if (o.reason === 'llm-error') return { reason: o.reason, check: o.error?.reason, detail: o.error?.message.slice(0, 200) };
  if (o.reason === 'verification-failed') return { reason: o.reason, check: o.problems?.[0]?.kind, detail: o.problems?.[0]?.detail.slice(0, 200) };
  return undefined;
}

async function attempt(
  kind: 'answer' | 'summary',
  client: Client | null | undefined,
  citations: Citation[],
  messages: () => ChatMessage[],
  verifyOptions: VerifyOptions,
  options: LlmAnswerOptions,
): Promise<{ text: string; calls: number } | { fallback: LlmOutcome }> {
  if (!client || !client.enabled) {
    log().debug({ event: 'llm-fallback', kind, reason: 'disabled' }, 'LLM disabled: extractive result kept');
    return { fallback: { used: false, reason: 'disabled' } };
  }
  if (citations.length === 0) {
    log().debug({ event: 'llm-fallback', kind, reason: 'nothing-to-cite' }, 'no passages: extractive result kept');
    return { fallback: { used: false, reason: 'nothing-to-cite' } };
  }
  const deadline = Date.now() + (client.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const passages = citations.map((c) => ({ n: c.n, text: c.quote }));
  const chat = async (msgs: ChatMessage[]): Promise<string | LlmOutcome> => {
    try {
      return await client.chat(msgs, { signal: options.signal, deadline });
    } catch (e) {
      const error = e instanceof LlmError ? e : new LlmError(String((e as Error)?.message ?? e), 'network');
      log().info(
        { event: 'llm-fallback', kind, reason: 'llm-error', check: error.reason, status: error.status, attempts: error.attempts },
        `LLM ${kind} not used (${error.reason}: ${error.message}); extractive result kept`,
      );
      return { used: false, reason: 'llm-error', error };
    }
  };
  const first = messages();
  let reply = await chat(first);
  if (typeof reply !== 'string') return { fallback: { ...reply, calls: 1 } };
  let check = verifyReply(reply, passages, verifyOptions);
  let calls = 1;
  const lang = languageName(verifyOptions.language);
  // Relevance and content words depend on the language too; anything else is not a language slip.
  const languageOnly = (ps: VerifyProblem[]) => ps.some((p) => p.kind === 'language') && ps.every((p) => ['language', 'irrelevant', 'content'].includes(p.kind));
  if (!check.ok && lang && languageOnly(check.problems)) {
    calls = 2;
    const again = await chat([
      ...first,
      { role: 'assistant', content: reply.slice(0, MAX_REPLY_CHARS) },
      { role: 'user', content: `Write that answer in ${lang}, the language of the question, with the same citations.` },
    ]);
    if (typeof again !== 'string') return { fallback: { ...again, calls } };
    reply = again;
    check = verifyReply(reply, passages, verifyOptions);
  }
  if (!check.ok) {
    const p = check.problems[0];
    log().info(
      { event: 'llm-fallback', kind, reason: 'verification-failed', check: p.kind, problems: check.problems.length, calls },
      `LLM ${kind} refused (${p.kind}: ${p.detail}); extractive result kept`,
    );
    return { fallback: { used: false, reason: 'verification-failed', problems: check.problems, calls } };
  }
  return { text: plainLlmText(reply.trim(), citations.map((c) => c.quote).join('\n'), MAX_REPLY_CHARS), calls };
}

/**
 * Reword an extractive answer with the LLM.
 * @returns `{ ...extractive, answer: <LLM text, plain>, mode: 'llm' }` when the reply passes
 *   verification; otherwise the extractive answer (with `llmFallback` when the LLM was tried); an
 *   abstention or an answer without citations is returned as the same object. Never throws for
 *   LLM problems. `onOutcome` (optional) is told what happened.
 */
export async function llmAnswer(
  client: Client | null | undefined,
  question: string,
  extractive: Answer,
  options: LlmAnswerOptions = {},
  onOutcome?: (o: LlmOutcome) => void,
): Promise<Answer> {
  const citations = extractive.abstained ? [] : extractive.citations;
  const r = await attempt(
    'answer',
    client,
    citations,
    () => buildAnswerMessages(question, citations, options.language),
    { language: options.language, question, ...options.verify },
    options,
  );
  if ('fallback' in r) {
    onOutcome?.(r.fallback);
    const why = fallbackOf(r.fallback);
    return why ? { ...extractive, llmFallback: why } : extractive;
  }
  onOutcome?.({ used: true, calls: r.calls });
  return { ...extractive, answer: r.text, mode: 'llm' };
}

/**
 * Reword an extractive summary with the LLM (same contract as {@link llmAnswer}; no relevance
 * check, since there is no question).
 * @param options.language language to write in (default: that of the passages).
 */
export async function llmSummary(
  client: Client | null | undefined,
  summary: Summary,
  options: LlmAnswerOptions = {},
  onOutcome?: (o: LlmOutcome) => void,
): Promise<Summary> {
  const r = await attempt(
    'summary',
    client,
    summary.citations,
    () => buildSummaryMessages(summary.citations, options.language),
    { language: options.language, ...options.verify },
    options,
  );
  if ('fallback' in r) {
    onOutcome?.(r.fallback);
    const why = fallbackOf(r.fallback);
    return why ? { ...summary, llmFallback: why } : summary;
  }
  onOutcome?.({ used: true, calls: r.calls });
  return { ...summary, text: r.text, mode: 'llm' };
}
