/**
 * Optional LLM rewording of extractive answers and summaries. The LLM only ever replaces the
 * answer/summary *text*; the citations stay the verbatim passages the extractive step found.
 * Whenever the LLM is off, fails, or its reply fails verification (verify.ts), the extractive
 * result is returned unchanged, and the reason is logged (warn; "disabled" at debug, since that
 * is the default configuration).
 */
import { log } from '../log.js';
import { LlmError, type LlmClient } from './llm.js';
import { buildAnswerMessages, buildSummaryMessages } from './prompt.js';
import type { Answer, Citation, Summary } from './types.js';
import { verifyReply, type VerifyOptions, type VerifyProblem } from './verify.js';

export interface LlmAnswerOptions {
  /** ISO 639-1 code of the question (answer language) when known; else the model infers it. */
  language?: string | null;
  /** Hooks passed to {@link verifyReply} (dictionary lookups). */
  verify?: Pick<VerifyOptions, 'isCommonNoun' | 'translate'>;
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
}

type Client = Pick<LlmClient, 'enabled' | 'chat'>;

async function attempt(
  kind: 'answer' | 'summary',
  client: Client | null | undefined,
  citations: Citation[],
  messages: () => Parameters<LlmClient['chat']>[0],
  verifyLanguage: string | null | undefined,
  options: LlmAnswerOptions,
): Promise<{ text: string } | { fallback: LlmOutcome }> {
  if (!client || !client.enabled) {
    log().debug({ event: 'llm-fallback', kind, reason: 'disabled' }, 'LLM disabled: extractive result kept');
    return { fallback: { used: false, reason: 'disabled' } };
  }
  if (citations.length === 0) {
    log().debug({ event: 'llm-fallback', kind, reason: 'nothing-to-cite' }, 'no passages: extractive result kept');
    return { fallback: { used: false, reason: 'nothing-to-cite' } };
  }
  let reply: string;
  try {
    reply = await client.chat(messages(), { signal: options.signal });
  } catch (e) {
    const error = e instanceof LlmError ? e : new LlmError(String((e as Error)?.message ?? e), 'network');
    log().warn(
      { event: 'llm-fallback', kind, reason: 'llm-error', error: error.reason, status: error.status, attempts: error.attempts, message: error.message },
      'LLM call failed: extractive result kept',
    );
    return { fallback: { used: false, reason: 'llm-error', error } };
  }
  const check = verifyReply(
    reply,
    citations.map((c) => ({ n: c.n, text: c.quote })),
    { language: verifyLanguage, ...options.verify },
  );
  if (!check.ok) {
    log().warn(
      { event: 'llm-fallback', kind, reason: 'verification-failed', problems: check.problems, reply: reply.slice(0, 500) },
      'LLM reply failed verification: extractive result kept',
    );
    return { fallback: { used: false, reason: 'verification-failed', problems: check.problems } };
  }
  return { text: reply.trim() };
}

/**
 * Reword an extractive answer with the LLM.
 * @returns `{ ...extractive, answer: <LLM text>, mode: 'llm' }` when the reply passes verification;
 *   otherwise `extractive` itself (same object), also when it abstained or has no citations.
 *   Never throws for LLM problems. `onOutcome` (optional) is told what happened.
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
    options.language,
    options,
  );
  if ('fallback' in r) {
    onOutcome?.(r.fallback);
    return extractive;
  }
  onOutcome?.({ used: true });
  return { ...extractive, answer: r.text, mode: 'llm' };
}

/**
 * Reword an extractive summary with the LLM (same contract as {@link llmAnswer}).
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
    options.language,
    options,
  );
  if ('fallback' in r) {
    onOutcome?.(r.fallback);
    return summary;
  }
  onOutcome?.({ used: true });
  return { ...summary, text: r.text, mode: 'llm' };
}
