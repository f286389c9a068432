/**
 * A fake OpenAI-compatible chat-completions server for tests: HTTP on 127.0.0.1, port 0.
 *
 * `POST /v1/chat/completions` (and `/chat/completions`) answers with the next scripted
 * {@link Behaviour} from a queue; when the queue is empty the default behaviour is used (an HTTP
 * 500 "no scripted response", so a test that forgot to script a call notices). Replies have the
 * chat-completion shape `{ id, object, created, model, choices: [{ index, message: { role,
 * content }, finish_reason }], usage }`. Every request is recorded (path, headers, parsed body,
 * the behaviour used), and the number of requests in flight is tracked (`maxInFlight`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. */
export interface Behaviour {
  /** Reply text (choices[0].message.content); default "" . */
  reply?: string;
  /** HTTP status (default 200). Non-2xx statuses get an OpenAI-style error body. */
  status?: number;
  /** Extra response headers, e.g. { 'retry-after': '1' }. */
  headers?: Record<string, string>;
  /** Wait this long before answering (ms). */
  delayMs?: number;
  /** Send this raw body instead of the generated one. */
  rawBody?: string;
  /** Destroy the connection without answering (a network error for the client). */
  hangUp?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  behaviour: Behaviour;
  /** True when the client went away before the answer was sent (e.g. its timeout fired). */
  aborted: boolean;
}

export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Array<Behaviour | ((req: RecordedRequest) => Behaviour)> = [];
  private fallback: Behaviour = { status: 500, reply: 'no scripted response' };
  private inFlightNow = 0;
  /** Most requests observed in flight at once. */
  maxInFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    /** Base URL including "/v1", as LLM_BASE_URL expects. */
    readonly baseUrl: string,
  ) {}

  /** Start a server on 127.0.0.1 with a random port. */
  static async start(): Promise<FakeOpenAI> {
    let fake!: FakeOpenAI;
    const server = http.createServer((req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeOpenAI(server, `http://127.0.0.1:${port}/v1`);
    return fake;
  }

  /** Queue behaviours for the next requests, in order. */
  enqueue(...behaviours: Array<Behaviour | ((req: RecordedRequest) => Behaviour)>): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Behaviour used when the queue is empty. */
  setDefault(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.inFlightNow;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(path)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } }));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = { method: req.method, path, headers: req.headers, body, behaviour: {}, aborted: false };
      const next = this.queue.shift() ?? this.fallback;
      const behaviour = typeof next === 'function' ? next(record) : next;
      record.behaviour = behaviour;
      this.requests.push(record);
      this.inFlightNow++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlightNow);
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          this.inFlightNow--;
        }
      };
      res.on('close', () => {
        if (!res.writableEnded) record.aborted = true;
        finish();
      });
      const respond = () => {
        if (res.destroyed) return finish();
        if (behaviour.hangUp) {
          req.socket.destroy();
          return finish();
        }
        const status = behaviour.status ?? 200;
        const payload =
          behaviour.rawBody ??
          JSON.stringify(
            status >= 200 && status < 300
              ? {
                  id: `chatcmpl-fake-${this.requests.length}`,
                  object: 'chat.completion',
                  created: Math.floor(Date.now() / 1000),
                  model: (body as { model?: string } | undefined)?.model ?? 'fake-model',
                  choices: [{ index: 0, message: { role: 'assistant', content: behaviour.reply ?? '' }, finish_reason: 'stop' }],
                  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
                }
              : { error: { message: behaviour.reply ?? `status ${status}`, type: 'fake_error', code: status } },
          );
        res.writeHead(status, { 'content-type': 'application/json', ...behaviour.headers });
        res.end(payload, finish);
      };
      if (behaviour.delayMs && behaviour.delayMs > 0) {
        const t = setTimeout(() => {
          this.timers.delete(t);
          respond();
        }, behaviour.delayMs);
        this.timers.add(t);
      } else respond();
    });
  }
}
