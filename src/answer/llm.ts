/**
 * Client for an OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp's
 * llama-server, vLLM, …): `POST {baseUrl}/chat/completions` with `{ model, messages, temperature }`,
 * reply text in `choices[0].message.content`. `baseUrl` includes the API prefix, e.g.
 * `http://127.0.0.1:11434/v1` (Ollama) or `http://127.0.0.1:8080/v1` (llama-server).
 *
 * Off unless LLM_BASE_URL is set. Each attempt has its own timeout (AbortController); 429, 5xx
 * and network errors are retried with exponential backoff and full jitter ("Exponential Backoff
 * And Jitter", M. Brooker, AWS Architecture Blog, 2015), waiting at least as long as a
 * `Retry-After` / `retry-after-ms` header asks. A timeout is not retried: a server too slow once
 * is usually too slow again, and retries would multiply the user's wait. A semaphore caps the
 * calls in flight (LLM_CONCURRENCY); a call holds its slot across its retries so that a
 * rate-limited server is not hit harder by other callers in the meantime.
 *
 * A call may carry one absolute `deadline` (LLM_DEADLINE_MS per answer) that bounds the wait for
 * a slot, each attempt (its timeout is cut to the time left) and each backoff (a wait that would
 * pass the deadline is not started). Every request sends `max_tokens`, and at most
 * `maxResponseBytes` of a response body are read.
 */
import type { Config } from '../config.js';

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Why a call failed. */
export type LlmErrorReason = 'disabled' | 'timeout' | 'deadline' | 'aborted' | 'http' | 'network' | 'bad-response' | 'too-large' | 'retry-after-too-long';

/** A failed LLM call; `reason` is machine-readable, `status` the last HTTP status if any. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly reason: LlmErrorReason,
    readonly status?: number,
    /** Attempts made (1 = no retry). */
    readonly attempts = 0,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface LlmClientOptions {
  /** API base including the version prefix, e.g. "http://127.0.0.1:11434/v1". Unset → disabled. */
  baseUrl?: string;
  /** Model name sent as `model` (Ollama needs it; llama-server ignores it). Omitted when unset. */
  model?: string;
  /** Sent as `Authorization: Bearer …` when set. Never logged. */
  apiKey?: string;
  /** Timeout of one attempt in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Calls in flight at most (default 2). */
  concurrency?: number;
  /** First backoff step in ms (default 500); step k waits random(0, min(max, base·2^k)). */
  backoffBaseMs?: number;
  /** Cap of one backoff wait in ms (default 8 000). */
  backoffMaxMs?: number;
  /**
   * Longest Retry-After the client will wait (ms, default 30 000); a server asking for more makes
   * the call fail at once (reason "retry-after-too-long") instead of blocking the user.
   */
  maxRetryAfterMs?: number;
  /** `max_tokens` sent when a call does not set its own (default 512). */
  maxTokens?: number;
  /** The per-answer deadline callers should use (ms, default 20 000); see {@link LlmClient.deadlineMs}. */
  deadlineMs?: number;
  /** Most bytes of one response body read (default 1 MiB); a longer body fails ("too-large"). */
  maxResponseBytes?: number;
  /** Injected for tests: fetch, sleep and the random source of the jitter. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Per-call options. */
export interface ChatOptions {
  /** Sampling temperature (default 0.1: answers should stick to the passages). */
  temperature?: number;
  /** `max_tokens` of the reply, if set. */
  maxTokens?: number;
  /** Cancels the call (and any wait for a retry). */
  signal?: AbortSignal;
  /**
   * Absolute deadline (ms since the epoch, as Date.now()) for the whole call: the wait for a
   * concurrency slot, every attempt and every backoff. Past it the call fails with "deadline".
   */
  deadline?: number;
}

/** Counting semaphore (FIFO). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be an integer ≥ 1, got ${limit}`);
  }

  /** Calls holding a slot now. */
  get inUse(): number {
    return this.active;
  }

  /**
   * Run `fn` once a slot is free; the slot is released when its promise settles.
   * @param waitMs longest wait for a slot; past it `onTimeout()` is thrown and no slot is taken.
   */
  async run<T>(fn: () => Promise<T>, waitMs = Infinity, onTimeout: () => Error = () => new Error('no slot in time')): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const grant = () => {
          if (timer) clearTimeout(timer);
          resolve();
        };
        this.waiting.push(grant);
        if (Number.isFinite(waitMs)) {
          timer = setTimeout(() => {
            const k = this.waiting.indexOf(grant);
            if (k >= 0) this.waiting.splice(k, 1);
            reject(onTimeout());
          }, Math.max(0, waitMs));
        }
      });
    } else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // hand the slot over directly
      else this.active--;
    }
  }
}

const RETRYABLE_STATUS = (status: number) => status === 429 || status === 408 || status >= 500;

/**
 * Delay asked for by `retry-after-ms` (OpenAI's extension, milliseconds) or `Retry-After`
 * (RFC 9110 §10.2.3: delay-seconds or an HTTP-date). Returns ms, or undefined when absent or
 * unparsable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  if (/^\s*\d+\s*$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError('aborted', 'aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LlmError('aborted', 'aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Remove reasoning blocks some local models put into the content (`<think>…</think>`). */
export function stripReasoning(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/^[\s\S]*?<\/think>/i, '').trim();
}

/**
 * The body of `res` as UTF-8, reading at most `maxBytes`; a longer body aborts the request and
 * throws LlmError "too-large", so a huge reply never sits in memory.
 */
async function readCapped(res: Response, maxBytes: number, controller: AbortController): Promise<string> {
  if (!res.body) return '';
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    controller.abort();
    throw new LlmError(`reply body of ${declared} bytes exceeds the ${maxBytes}-byte limit`, 'too-large', res.status);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      throw new LlmError(`reply body exceeds the ${maxBytes}-byte limit`, 'too-large', res.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Chat-completions client; see the module doc. */
export class LlmClient {
  readonly enabled: boolean;
  private readonly opts: Required<Omit<LlmClientOptions, 'baseUrl' | 'model' | 'apiKey' | 'sleep'>> &
    Pick<LlmClientOptions, 'baseUrl' | 'model' | 'apiKey' | 'sleep'>;
  private readonly semaphore: Semaphore;
  private inFlightNow = 0;
  /** Most calls observed in flight at once (for tests and metrics). */
  maxInFlight = 0;

  /** @throws RangeError for a malformed baseUrl or non-positive limits. */
  constructor(options: LlmClientOptions = {}) {
    const baseUrl = options.baseUrl?.trim() || undefined;
    if (baseUrl !== undefined) {
      let u: URL;
      try {
        u = new URL(baseUrl);
      } catch {
        throw new RangeError(`LLM base URL is not a URL: "${baseUrl}"`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RangeError(`LLM base URL must be http(s): "${baseUrl}"`);
    }
    this.opts = {
      baseUrl: baseUrl?.replace(/\/+$/, ''),
      model: options.model,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      concurrency: options.concurrency ?? 2,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      maxResponseBytes: options.maxResponseBytes ?? 1 << 20,
      maxTokens: options.maxTokens ?? 512,
      deadlineMs: options.deadlineMs ?? 20_000,
      fetch: options.fetch ?? globalThis.fetch,
      sleep: options.sleep,
      random: options.random ?? Math.random,
    };
    if (!(this.opts.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
    if (!(Number.isInteger(this.opts.maxRetries) && this.opts.maxRetries >= 0)) throw new RangeError('maxRetries must be an integer ≥ 0');
    this.semaphore = new Semaphore(this.opts.concurrency);
    this.enabled = baseUrl !== undefined;
  }

  /** Client configured from LLM_* settings (disabled when LLM_BASE_URL is unset). */
  static fromConfig(
    config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'LLM_TIMEOUT_MS' | 'LLM_MAX_RETRIES' | 'LLM_CONCURRENCY'> &
      Partial<Pick<Config, 'LLM_DEADLINE_MS' | 'LLM_MAX_TOKENS'>>,
  ): LlmClient {
    return new LlmClient({
      baseUrl: config.LLM_BASE_URL,
      model: config.LLM_MODEL,
      apiKey: config.LLM_API_KEY,
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
      concurrency: config.LLM_CONCURRENCY,
      deadlineMs: config.LLM_DEADLINE_MS,
      maxTokens: config.LLM_MAX_TOKENS,
    });
  }

  /** Time budget of one answer in ms (LLM_DEADLINE_MS): callers pass `deadline: Date.now() + deadlineMs`. */
  get deadlineMs(): number {
    return this.opts.deadlineMs;
  }

  /** The configured model name (for cache keys and logs), or null. */
  get model(): string | null {
    return this.opts.model ?? null;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.inFlightNow;
  }

  /**
   * Send a chat completion and return the reply text (reasoning blocks removed, trimmed).
   * @throws LlmError: "disabled" (no base URL), "timeout", "aborted", "http" (non-retryable status or
   *   retries exhausted), "network" (retries exhausted), "bad-response" (no text in the reply),
   *   "retry-after-too-long".
   */
  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
    if (!this.enabled) throw new LlmError('LLM is disabled (LLM_BASE_URL is not set)', 'disabled');
    const deadline = options.deadline;
    const late = () => new LlmError('deadline passed while waiting for a free LLM slot', 'deadline');
    if (deadline !== undefined && Date.now() >= deadline) throw late();
    return this.semaphore.run(
      async () => {
        this.inFlightNow++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlightNow);
        try {
          return await this.withRetries(messages, options);
        } finally {
          this.inFlightNow--;
        }
      },
      deadline === undefined ? Infinity : deadline - Date.now(),
      late,
    );
  }

  private async withRetries(messages: ChatMessage[], options: ChatOptions): Promise<string> {
    const body = JSON.stringify({
      ...(this.opts.model ? { model: this.opts.model } : {}),
      messages,
      temperature: options.temperature ?? 0.1,
      max_tokens: options.maxTokens ?? this.opts.maxTokens,
      stream: false,
    });
    for (let attempt = 0; ; attempt++) {
      const left = options.deadline === undefined ? Infinity : options.deadline - Date.now();
      if (left <= 0) throw new LlmError('deadline passed before the next attempt', 'deadline', undefined, attempt);
      const result = await this.attempt(body, options.signal, Math.min(this.opts.timeoutMs, left), left < this.opts.timeoutMs);
      if (result.ok) return result.text;
      const err = result.error;
      const retryable = err.reason === 'network' || (err.reason === 'http' && err.status !== undefined && RETRYABLE_STATUS(err.status));
      if (!retryable || attempt >= this.opts.maxRetries) {
        throw new LlmError(err.message, err.reason, err.status, attempt + 1);
      }
      const backoff = this.opts.random() * Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
      const asked = result.retryAfterMs;
      if (asked !== undefined && asked > this.opts.maxRetryAfterMs) {
        throw new LlmError(`server asked to retry after ${asked} ms (limit ${this.opts.maxRetryAfterMs} ms)`, 'retry-after-too-long', err.status, attempt + 1);
      }
      const wait = Math.max(backoff, asked ?? 0);
      if (options.deadline !== undefined && Date.now() + wait >= options.deadline) {
        throw new LlmError(`deadline would pass during the ${Math.round(wait)} ms backoff`, 'deadline', err.status, attempt + 1);
      }
      if (this.opts.sleep) await this.opts.sleep(wait);
      else await defaultSleep(wait, options.signal);
      if (options.signal?.aborted) throw new LlmError('aborted', 'aborted', undefined, attempt + 1);
    }
  }

  private async attempt(
    body: string,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    byDeadline: boolean,
  ): Promise<{ ok: true; text: string } | { ok: false; error: LlmError; retryAfterMs?: number }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (error: LlmError, retryAfter?: number) => ({ ok: false as const, error, retryAfterMs: retryAfter });
    const timeoutError = () =>
      byDeadline ? new LlmError(`deadline passed during an attempt (${timeoutMs} ms left)`, 'deadline') : new LlmError(`no reply within ${timeoutMs} ms`, 'timeout');
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
      let res: Response;
      try {
        res = await this.opts.fetch(`${this.opts.baseUrl}/chat/completions`, { method: 'POST', headers, body, signal: controller.signal });
      } catch (e) {
        if (timedOut) return fail(timeoutError());
        if (signal?.aborted) return fail(new LlmError('aborted', 'aborted'));
        return fail(new LlmError(`network error: ${(e as Error).message}`, 'network'));
      }
      let raw: string;
      try {
        raw = await readCapped(res, this.opts.maxResponseBytes, controller);
      } catch (e) {
        if (e instanceof LlmError) return fail(e);
        if (timedOut) return fail(timeoutError());
        if (signal?.aborted) return fail(new LlmError('aborted', 'aborted'));
        return fail(new LlmError(`network error while reading the reply: ${(e as Error).message}`, 'network'));
      }
      if (!res.ok) {
        const detail = raw.replace(/\s+/g, ' ').slice(0, 200);
        return fail(new LlmError(`HTTP ${res.status}${detail ? `: ${detail}` : ''}`, 'http', res.status), retryAfterMs(res.headers));
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return fail(new LlmError('reply is not JSON', 'bad-response', res.status));
      }
      const content = (json as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
      if (typeof content !== 'string') return fail(new LlmError('reply has no choices[0].message.content', 'bad-response', res.status));
      const text = stripReasoning(content);
      if (!text) return fail(new LlmError('reply text is empty', 'bad-response', res.status));
      return { ok: true, text };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
