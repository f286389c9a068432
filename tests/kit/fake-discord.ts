/**
 * A fake Discord for end-to-end tests: one HTTP server on 127.0.0.1 (port 0) that serves the REST
 * API under `/api/v10`, the gateway (WebSocket, JSON text frames) and attachment downloads. The real
 * discord.js v14 Client talks to it with `rest: { api: fake.apiBase }` and `login(fake.token)`.
 *
 * What it emulates, and where the facts come from (Discord API docs: "Gateway", "Receiving and
 * Responding to interactions", "Message resource" limits; /work/shared/notes/discord-fake-quirks.md):
 * - GET /gateway/bot → `ws://127.0.0.1:PORT/gateway` and the recommended `shards`; HELLO → IDENTIFY →
 *   READY (+ GUILD_CREATE per guild); heartbeats are ACKed; RESUME at `resume_gateway_url` replays
 *   missed dispatches.
 * - Sharding (Discord docs "Gateway › Sharding"): IDENTIFY with `shard: [id, n]` opens the session
 *   of shard `id`; it receives only the guilds with `(guild_id >> 22) % n == id` (READY,
 *   GUILD_CREATE, and every dispatch carrying that guild id, interactions included); DMs and
 *   guild-less events go to shard 0. IDENTIFY without `shard` is shard [0, 1].
 * - Interactions: callbacks later than 3 s → 404 code 10062, a second callback → 400 code 40060;
 *   `@original` edits / deletes, follow-ups; the time from dispatch to callback is recorded.
 * - Message limits: content 2000, 10 embeds, title 256, description 4096, 25 fields, field name
 *   256, field value 1024, footer 2048, author name 256, 6000 characters across embeds → 400 code
 *   50035; an empty message → 400 code 50006; uploads over 10 MiB → 413 code 40005.
 * - Mentions: a message pings @everyone/@here or users only if `allowed_mentions` lets it (absent
 *   means "parse everything", as on Discord); the result is in `mention_everyone` / `mentions`.
 * - Intents: MESSAGE_CREATE is dispatched only with GuildMessages; its content is blanked without
 *   MessageContent unless the message mentions the bot.
 *
 * Every request is recorded in {@link FakeDiscord.requests} (decoded path, query, parsed body,
 * status, response) so tests can assert on what the bot sent.
 */
import http from 'node:http';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { PermissionFlagsBits } from 'discord.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A new Discord snowflake (19 digits today): ms since 2015 << 22 | a 12-bit counter. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Message limits as documented by Discord (Message resource, Embed limits). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  uploadBytes: 10 * 1024 * 1024,
} as const;

/** Everything a member of a fresh guild may do via the @everyone role. */
const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseApplicationCommands;
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);

const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_MESSAGE_CONTENT = 1 << 15;

export interface User {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot: boolean;
}

export interface Role {
  id: string;
  name: string;
  permissions: string;
}

export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  roles: Role[];
  /** The first one is where interactions happen by default. */
  channelIds: string[];
}

/** One request as the fake received and answered it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path without `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the `payload_json` part of a multipart body. */
  body: Json;
  files: { field: string; filename: string; size: number }[];
  status: number;
  response: Json;
  at: number;
}

/** What the fake knows about one dispatched interaction. */
export interface InteractionRecord {
  id: string;
  /** Shard id of the session it was dispatched on (undefined while no session can take it). */
  shard?: number;
  token: string;
  payload: Json;
  /** performance.now() when it was sent over the gateway (undefined while queued). */
  dispatchedAt?: number;
  /** First accepted callback. `ackMs` = time from dispatch to its arrival. */
  callback?: { type: number; data: Json; ackMs: number };
  /** Every callback attempt with the status the fake answered. */
  callbackAttempts: { type: number; status: number; ackMs: number }[];
  /** The response message (type 4 or 5 callback), after edits; null once deleted. */
  original?: Json | null;
  followUps: Json[];
}

export interface FakeDiscordOptions {
  token?: string;
  /** Gateway heartbeat interval in ms sent in HELLO (Discord sends ~41 250). */
  heartbeatInterval?: number;
  /** How long an interaction may wait for its first callback (Discord: 3 s). */
  callbackDeadlineMs?: number;
  /** Shard count GET /gateway/bot recommends (default 1). */
  shards?: number;
}

/** The shard that receives a guild's events: Discord's `shard_id = (guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, shards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shards));
}

/**
 * A new snowflake whose guild would land on shard `shard` of `count`: its timestamp part (the
 * bits above 22) ≡ shard (mod count), a few ms in the past; a fresh counter in the low bits.
 */
export function snowflakeOnShard(shard: number, count: number): string {
  increment = (increment + 1n) & 0xfffn;
  const n = BigInt(count);
  let ms = BigInt(Date.now()) - DISCORD_EPOCH - n;
  ms -= ms % n;
  return (((ms + BigInt(shard)) << 22n) | (1n << 17n) | increment).toString();
}

/** One gateway session (one shard). */
interface Session {
  id: string;
  seq: number;
  log: Json[];
  ready: boolean;
  /** [shard id, shard count] */
  shard: [number, number];
  socket?: WebSocket;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (m: RegExpExecArray, req: ParsedRequest) => [number, Json] | Promise<[number, Json]>;
}
interface ParsedRequest {
  query: Record<string, string>;
  body: Json;
  files: RecordedRequest['files'];
  auth: string | undefined;
}

class HttpError {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {}
}
const fail = (status: number, code: number, message: string, errors?: Json): never => {
  throw new HttpError(status, errors ? { code, message, errors } : { code, message });
};

/** The fake server. Create with {@link FakeDiscord.start}; stop with {@link FakeDiscord.close}. */
export class FakeDiscord extends EventEmitter {
  readonly token: string;
  readonly appId = snowflake();
  readonly botUser: User;
  readonly requests: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly guilds = new Map<string, Guild>();
  /** channel id → channel object (text channels and threads). */
  readonly channels = new Map<string, Json>();
  /** channel id → messages posted there (by anyone), oldest first. */
  readonly messages = new Map<string, Json[]>();
  /** Registered commands: key `global` or the guild id. */
  readonly commands = new Map<string, Json[]>();
  /** Gateway bookkeeping, for assertions (`identifies` holds each IDENTIFY's `d`, with its `shard`). */
  readonly gateway = {
    connections: [] as string[], // request URL of each WebSocket connection
    identifies: [] as Json[],
    resumes: 0,
    heartbeats: 0,
    intents: 0,
  };
  port = 0;
  /** How long an interaction may wait for its first callback (Discord: 3 s); tests may lower it. */
  callbackDeadlineMs: number;

  private readonly server = http.createServer((req, res) => void this.onHttp(req, res));
  private readonly wss = new WebSocketServer({ server: this.server });
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly routes: Route[] = [];
  /** shard id → its current session. */
  private readonly sessions = new Map<number, Session>();
  private readonly heartbeatInterval: number;
  /** Shard count GET /gateway/bot recommends; tests may change it. */
  recommendedShards: number;

  private constructor(options: FakeDiscordOptions) {
    super();
    this.setMaxListeners(0);
    this.token = options.token ?? `fake.${randomBytes(12).toString('hex')}`;
    this.heartbeatInterval = options.heartbeatInterval ?? 41_250;
    this.callbackDeadlineMs = options.callbackDeadlineMs ?? 3000;
    this.recommendedShards = options.shards ?? 1;
    this.botUser = { ...this.newUser('dossier'), bot: true };
    this.wss.on('connection', (ws, req) => this.onGateway(ws, req.url ?? ''));
    this.defineRoutes();
  }

  /** Start listening on 127.0.0.1 with a random port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Base URL for discord.js `rest.api` / DISCORD_API_BASE. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ world: users, guilds, files

  /** A new (human) user. */
  newUser(username = 'user'): User {
    return { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null, bot: false };
  }

  /**
   * A guild with an @everyone role (id = guild id), one text channel and an owner who is NOT any
   * test user (the owner implicitly has every permission). Dispatches GUILD_CREATE to the shard
   * that owns `id` if it is connected. `id` defaults to a new snowflake.
   */
  addGuild(name = 'guild', id = snowflake()): Guild {
    const channelId = snowflake();
    const guild: Guild = {
      id,
      name,
      ownerId: snowflake(),
      roles: [{ id, name: '@everyone', permissions: EVERYONE_PERMISSIONS.toString() }],
      channelIds: [channelId],
    };
    this.guilds.set(id, guild);
    this.channels.set(channelId, { id: channelId, type: 0, guild_id: id, name: 'general', position: 0, permission_overwrites: [] });
    if (this.sessionFor(id)?.ready) this.dispatch('GUILD_CREATE', this.guildCreatePayload(guild));
    return guild;
  }

  /** Add a role (e.g. a moderator role) to a guild; returns its id. */
  addRole(guild: Guild, name: string, permissions = 0n, id = snowflake()): string {
    const role = { id, name, permissions: permissions.toString() };
    guild.roles.push(role);
    if (this.sessionFor(guild.id)?.ready) this.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: this.roleObject(role, guild.roles.length) });
    return role.id;
  }

  /**
   * Host a file as Discord's CDN would and return the attachment object that goes into
   * `data.resolved.attachments`.
   */
  hostAttachment(filename: string, content: string | Uint8Array, contentType = 'text/plain; charset=utf-8'): Json {
    const id = snowflake();
    const bytes = Buffer.from(content);
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(filename)}`;
    this.files.set(`/attachments/${id}/${encodeURIComponent(filename)}`, { bytes, contentType });
    return { id, filename, size: bytes.length, url, proxy_url: url, content_type: contentType };
  }

  // ------------------------------------------------------------------ gateway

  /** Resolves once every shard 0..n-1 of the identified shard count n (at least one) has received READY. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    const allReady = () => {
      const count = [...this.sessions.values()][0]?.shard[1];
      if (count === undefined) return undefined;
      for (let i = 0; i < count; i++) if (!this.sessions.get(i)?.ready) return undefined;
      return true;
    };
    return this.waitFor(allReady, timeoutMs, 'gateway READY').then(() => undefined);
  }

  /** Shard count of the identified sessions (1 before any IDENTIFY). */
  get shardCount(): number {
    return [...this.sessions.values()][0]?.shard[1] ?? 1;
  }

  /** The session that receives events of `guildId` (shard formula), or of no guild (shard 0). */
  private sessionFor(guildId: string | undefined): Session | undefined {
    return this.sessions.get(guildId === undefined ? 0 : shardOf(guildId, this.shardCount));
  }

  /**
   * Send a dispatch event to the shard that owns its guild (`d.guild_id`, or `d.id` of a
   * GUILD_CREATE), shard 0 without one. While that shard is not connected it is queued in its
   * session log and replayed after RESUME, as Discord does.
   * @throws when no session can take it (the client has not identified that shard).
   */
  dispatch(t: string, d: Json): void {
    const guildId: string | undefined = d?.guild_id ?? (t === 'GUILD_CREATE' ? d?.id : undefined);
    const session = this.sessionFor(guildId);
    if (!session) throw new Error(`no gateway session for ${guildId ? `guild ${guildId}` : 'shard 0'}: the client has not identified`);
    this.send(session, t, d);
  }

  private send(session: Session, t: string, d: Json): void {
    const payload = { op: 0, t, s: ++session.seq, d };
    session.log.push(payload);
    if (t === 'INTERACTION_CREATE') {
      const record = this.interactions.get(d.id);
      if (record) record.shard = session.shard[0];
    }
    if (session.socket?.readyState === WebSocket.OPEN && session.ready) this.sendDispatch(session, payload);
  }

  /**
   * Drop gateway connections (all, or shard `shard`'s) with a close code that asks the client to
   * resume (4000 = unknown error). discord.js then reconnects to `resume_gateway_url` and resumes.
   */
  dropConnection(code = 4000, shard?: number): void {
    for (const s of this.sessions.values()) {
      if (shard !== undefined && s.shard[0] !== shard) continue;
      s.ready = false;
      s.socket?.close(code, 'fake discord: connection dropped');
    }
  }

  private onGateway(ws: WebSocket, url: string): void {
    this.gateway.connections.push(url);
    let current: Session | undefined;
    const send = (p: Json) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(p));
    send({ op: 10, d: { heartbeat_interval: this.heartbeatInterval } });
    ws.on('message', (raw) => {
      let p: Json;
      try {
        p = JSON.parse(raw.toString());
      } catch {
        return ws.close(4002, 'Error while decoding payload.');
      }
      if (p.op === 1) {
        this.gateway.heartbeats++;
        send({ op: 11 });
      } else if (p.op === 2) {
        if (p.d?.token !== this.token) return ws.close(4004, 'Authentication failed.');
        const shard: [number, number] = Array.isArray(p.d.shard) ? [Number(p.d.shard[0]), Number(p.d.shard[1])] : [0, 1];
        if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) return ws.close(4010, 'Invalid shard.');
        const other = [...this.sessions.values()].find((x) => x.shard[1] !== shard[1] && x.socket?.readyState === WebSocket.OPEN);
        if (other) return ws.close(4011, 'Sharding required.'); // every live shard must use one count
        this.gateway.identifies.push(p.d);
        this.gateway.intents = Number(p.d.intents ?? 0);
        if (this.sessions.get(shard[0])?.shard[1] !== shard[1]) {
          for (const [id, x] of this.sessions) if (x.shard[1] !== shard[1]) this.sessions.delete(id);
        }
        current = { id: randomBytes(16).toString('hex'), seq: 0, log: [], ready: true, shard, socket: ws };
        this.sessions.set(shard[0], current);
        const mine = [...this.guilds.values()].filter((g) => shardOf(g.id, shard[1]) === shard[0]);
        this.send(current, 'READY', {
          v: 10,
          user: this.botUser,
          guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
          session_id: current.id,
          resume_gateway_url: `ws://127.0.0.1:${this.port}/resume`,
          shard,
          application: { id: this.appId, flags: 0 },
        });
        for (const g of mine) this.send(current, 'GUILD_CREATE', this.guildCreatePayload(g));
      } else if (p.op === 6) {
        const s = [...this.sessions.values()].find((x) => x.id === p.d?.session_id);
        if (!s || p.d?.token !== this.token) return send({ op: 9, d: false });
        this.gateway.resumes++;
        current = s;
        s.socket = ws;
        s.ready = true;
        for (const missed of s.log) if (missed.s > (p.d.seq ?? 0)) this.sendDispatch(s, missed);
        this.send(s, 'RESUMED', null);
      }
      this.emit('change');
    });
    ws.on('close', () => {
      if (current?.socket === ws) current.socket = undefined;
      this.emit('change');
    });
  }

  private sendDispatch(session: Session, payload: Json): void {
    if (payload.t === 'INTERACTION_CREATE') {
      const record = this.interactions.get(payload.d.id);
      if (record && record.dispatchedAt === undefined) record.dispatchedAt = performance.now();
    }
    session.socket!.send(JSON.stringify(payload));
    this.emit('change');
  }

  private guildCreatePayload(g: Guild): Json {
    return {
      id: g.id,
      name: g.name,
      owner_id: g.ownerId,
      icon: null,
      features: [],
      unavailable: false,
      member_count: 2,
      joined_at: new Date().toISOString(),
      roles: g.roles.map((r, i) => this.roleObject(r, i)),
      channels: g.channelIds.map((id) => this.channels.get(id)),
      threads: [],
      members: [{ user: this.botUser, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      emojis: [],
      stickers: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      preferred_locale: 'de',
    };
  }

  private roleObject(r: Role, position: number): Json {
    return { ...r, color: 0, hoist: false, position, managed: false, mentionable: false, flags: 0 };
  }

  // ------------------------------------------------------------------ interactions

  /**
   * Dispatch a chat-input command. `options` values: string / number / boolean, or an attachment
   * object from {@link hostAttachment}. Option types come from the registered command when there
   * is one (an unknown option name then throws), else from the JS type.
   */
  slash(spec: {
    guild: Guild | null;
    user: User;
    name: string;
    options?: Record<string, string | number | boolean | Json>;
    roles?: string[];
    permissions?: bigint;
  }): InteractionRecord {
    const declared = this.findCommand(spec.guild, spec.name);
    const resolved: Json = {};
    const options = Object.entries(spec.options ?? {}).map(([name, value]) => {
      const type = this.optionType(declared, spec.name, name, value);
      if (type === 11) {
        (resolved.attachments ??= {})[value.id] = value;
        return { name, type, value: value.id };
      }
      return { name, type, value };
    });
    const data: Json = { id: declared?.id ?? snowflake(), name: spec.name, type: 1, options };
    if (Object.keys(resolved).length) data.resolved = resolved;
    return this.dispatchInteraction(2, spec, data);
  }

  /** Dispatch an autocomplete request for `focused` (its partial value is `options[focused]`). */
  autocomplete(spec: {
    guild: Guild | null;
    user: User;
    name: string;
    focused: string;
    options: Record<string, string | number>;
    roles?: string[];
    permissions?: bigint;
  }): InteractionRecord {
    const declared = this.findCommand(spec.guild, spec.name);
    const options = Object.entries(spec.options).map(([name, value]) => ({
      name,
      type: this.optionType(declared, spec.name, name, value),
      value,
      ...(name === spec.focused ? { focused: true } : {}),
    }));
    return this.dispatchInteraction(4, spec, { id: declared?.id ?? snowflake(), name: spec.name, type: 1, options });
  }

  /** Dispatch a button click on `message` (a message object the fake returned). */
  button(spec: { guild: Guild | null; user: User; message: Json; customId: string; roles?: string[] }): InteractionRecord {
    return this.dispatchInteraction(3, spec, { custom_id: spec.customId, component_type: 2 });
  }

  /** Milliseconds from dispatch to first callback, for every acknowledged interaction. */
  ackLatencies(): number[] {
    return [...this.interactions.values()].flatMap((r) => (r.callback ? [r.callback.ackMs] : []));
  }

  /**
   * Resolves with the interaction's visible messages (original unless still "thinking" or
   * deleted, then follow-ups) once `until(messages)` holds; by default once there is one.
   */
  waitForReply(interaction: InteractionRecord, until: (messages: Json[]) => boolean = (m) => m.length > 0, timeoutMs = 20_000): Promise<Json[]> {
    return this.waitFor(
      () => {
        const messages = this.replyMessages(interaction).filter((m) => !(m.flags & 128));
        return until(messages) ? messages : undefined;
      },
      timeoutMs,
      `a reply to interaction ${interaction.payload.data?.name ?? interaction.payload.data?.custom_id}`,
    );
  }

  /** Every message the interaction produced (original first, then follow-ups). */
  replyMessages(interaction: InteractionRecord): Json[] {
    const r = this.interactions.get(interaction.id)!;
    return [...(r.original ? [r.original] : []), ...r.followUps];
  }

  private dispatchInteraction(
    type: number,
    spec: { guild: Guild | null; user: User; roles?: string[]; permissions?: bigint; message?: Json },
    data: Json,
  ): InteractionRecord {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`;
    const g = spec.guild;
    const channelId = spec.message?.channel_id ?? g?.channelIds[0] ?? snowflake();
    const payload: Json = {
      id,
      application_id: this.appId,
      type,
      token,
      version: 1,
      data,
      locale: 'de',
      entitlements: [],
      app_permissions: ALL_PERMISSIONS.toString(),
      authorizing_integration_owners: g ? { '0': g.id } : { '1': spec.user.id },
      context: g ? 0 : 1,
      attachment_size_limit: LIMITS.uploadBytes,
      channel_id: channelId,
      channel: this.channels.get(channelId) ?? { id: channelId, type: 1 },
    };
    if (g) {
      const roles = spec.roles ?? [];
      payload.guild_id = g.id;
      payload.guild_locale = 'de';
      payload.member = {
        user: spec.user,
        roles,
        permissions: (spec.permissions ?? this.memberPermissions(g, spec.user.id, roles)).toString(),
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
      };
    } else {
      payload.user = spec.user;
    }
    if (spec.message) payload.message = spec.message;
    const record: InteractionRecord = { id, token, payload, callbackAttempts: [], followUps: [] };
    this.interactions.set(id, record);
    this.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  private memberPermissions(g: Guild, userId: string, roles: string[]): bigint {
    if (userId === g.ownerId) return ALL_PERMISSIONS;
    let p = 0n;
    for (const r of g.roles) if (r.id === g.id || roles.includes(r.id)) p |= BigInt(r.permissions);
    return p & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : p;
  }

  private findCommand(guild: Guild | null, name: string): Json | undefined {
    const lists = [...(guild ? [this.commands.get(guild.id) ?? []] : []), this.commands.get('global') ?? []];
    return lists.flat().find((c) => c.name === name);
  }

  private optionType(declared: Json | undefined, command: string, name: string, value: Json): number {
    if (declared) {
      const opt = (declared.options ?? []).find((o: Json) => o.name === name);
      if (!opt) throw new Error(`command /${command} declares no option "${name}"`);
      return opt.type;
    }
    if (typeof value === 'boolean') return 5;
    if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
    if (typeof value === 'object' && value?.filename) return 11;
    return 3;
  }

  // ------------------------------------------------------------------ channel messages

  /**
   * A user posts a message (dispatched as MESSAGE_CREATE if the client has the GuildMessages
   * intent). With `mentionBot` the content starts with `<@bot>` and `mentions` lists the bot.
   */
  postMessage(spec: { guild: Guild; user: User; content: string; channelId?: string; mentionBot?: boolean }): Json {
    const channelId = spec.channelId ?? spec.guild.channelIds[0];
    const content = spec.mentionBot ? `<@${this.botUser.id}> ${spec.content}` : spec.content;
    const message = this.storeMessage(channelId, {
      author: spec.user,
      content,
      mentions: spec.mentionBot ? [this.botUser] : [],
      member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    });
    this.dispatchMessage(message);
    return message;
  }

  private dispatchMessage(message: Json): void {
    if (!this.sessionFor(message.guild_id) || !(this.gateway.intents & INTENT_GUILD_MESSAGES)) return;
    const mentioned = message.mentions.some((u: User) => u.id === this.botUser.id);
    const seesContent = this.gateway.intents & INTENT_MESSAGE_CONTENT || mentioned || message.author.id === this.botUser.id;
    this.dispatch('MESSAGE_CREATE', seesContent ? message : { ...message, content: '', embeds: [] });
  }

  private storeMessage(channelId: string, fields: Json): Json {
    const channel = this.channels.get(channelId);
    const message = {
      id: snowflake(),
      channel_id: channelId,
      ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
      type: 0,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...fields,
    };
    if (!this.messages.has(channelId)) this.messages.set(channelId, []);
    this.messages.get(channelId)!.push(message);
    return message;
  }

  // ------------------------------------------------------------------ waiting

  /**
   * Resolve with the first truthy result of `check`, re-evaluated after every request and gateway
   * event; reject after `timeoutMs`.
   */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('change', test);
      };
      this.on('change', test);
      test();
    });
  }

  /** Requests answered with an error status (what real Discord would have refused). */
  rejected(): RecordedRequest[] {
    return this.requests.filter((r) => r.status >= 400);
  }

  /** Bodies of every request that creates or edits a message (callbacks with data, webhooks, channels). */
  messageBodies(): Json[] {
    return this.requests
      .filter((r) => /\/callback$|^\/webhooks\/|^\/channels\/\d+\/messages$/.test(r.path) && r.method !== 'DELETE' && r.method !== 'GET')
      .map((r) => (r.path.endsWith('/callback') ? r.body?.data : r.body))
      .filter((b) => b && (b.content !== undefined || b.embeds !== undefined));
  }

  // ------------------------------------------------------------------ HTTP

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const file = this.files.get(url.pathname);
    if (req.method === 'GET' && file) {
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
      return void res.end(file.bytes);
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
      at: Date.now(),
    };
    let status: number;
    let body: Json;
    try {
      const parsed = await parseBody(raw, req.headers['content-type']);
      record.body = parsed.body;
      record.files = parsed.files;
      const route = this.routes.find((r) => r.method === record.method && r.pattern.test(path));
      if (!route) fail(404, 0, '404: Not Found');
      if (parsed.files.some((f) => f.size > LIMITS.uploadBytes)) fail(413, 40005, 'Request entity too large');
      [status, body] = await route!.handle(route!.pattern.exec(path)!, {
        query: record.query,
        body: parsed.body,
        files: parsed.files,
        auth: req.headers.authorization,
      });
    } catch (e) {
      // A bug in the fake itself: answer 500 so the test fails visibly instead of hanging.
      [status, body] = e instanceof HttpError ? [e.status, e.body] : [500, { code: 0, message: `fake discord: ${String(e)}` }];
    }
    record.status = status;
    record.response = body;
    this.requests.push(record);
    if (status === 204) res.writeHead(204).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    this.emit('change');
  }

  private defineRoutes(): void {
    const route = (method: string, pattern: RegExp, handle: Route['handle']) => this.routes.push({ method, pattern, handle });
    const bot = (req: ParsedRequest) => {
      if (req.auth !== `Bot ${this.token}`) fail(401, 0, '401: Unauthorized');
    };

    route('GET', /^\/gateway\/bot$/, (_m, req) => {
      bot(req);
      return [200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      }];
    });
    route('GET', /^\/gateway$/, () => [200, { url: `ws://127.0.0.1:${this.port}/gateway` }]);
    route('GET', /^\/users\/@me$/, (_m, req) => (bot(req), [200, this.botUser]));
    route('GET', /^\/applications\/@me$/, (_m, req) => (bot(req), [200, { id: this.appId, name: 'dossier', bot: this.botUser, flags: 0 }]));

    // Command registration: PUT replaces the whole list (bulk overwrite).
    const commands = (key: (m: RegExpExecArray) => string) => (m: RegExpExecArray, req: ParsedRequest): [number, Json] => {
      bot(req);
      if (m[1] !== this.appId) fail(403, 50001, 'Missing Access');
      if (!Array.isArray(req.body)) fail(400, 50035, 'Invalid Form Body');
      const list = (req.body as Json[]).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, version: snowflake() }));
      for (const c of list) {
        if (!/^[-_\p{L}\p{N}]{1,32}$/u.test(c.name) || c.name !== c.name.toLowerCase()) fail(400, 50035, 'Invalid Form Body', { name: c.name });
        if ((c.description ?? '').length < 1 || c.description.length > 100) fail(400, 50035, 'Invalid Form Body', { description: c.name });
        if ((c.options ?? []).length > 25) fail(400, 50035, 'Invalid Form Body', { options: c.name });
      }
      this.commands.set(key(m), list);
      return [200, list];
    };
    route('PUT', /^\/applications\/(\d+)\/commands$/, commands(() => 'global'));
    route('PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, commands((m) => m[2]));
    route('GET', /^\/applications\/(\d+)\/commands$/, () => [200, this.commands.get('global') ?? []]);
    route('GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, (m) => [200, this.commands.get(m[2]) ?? []]);

    route('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (m, req) => this.onCallback(m[1], m[2], req));

    const interactionFor = (app: string, token: string): InteractionRecord => {
      const r = [...this.interactions.values()].find((i) => i.token === token);
      if (app !== this.appId || !r) fail(404, 10015, 'Unknown Webhook');
      return r!;
    };
    route('GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, (m) => {
      const r = interactionFor(m[1], m[2]);
      if (!r.original) fail(404, 10008, 'Unknown Message');
      return [200, r.original];
    });
    route('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, (m, req) => {
      const r = interactionFor(m[1], m[2]);
      if (!r.original) fail(404, 10008, 'Unknown Message');
      const next = { ...r.original, ...pick(req.body, ['content', 'embeds', 'components', 'allowed_mentions']) };
      if (next.content === null) next.content = '';
      next.flags = (r.original.flags ?? 0) & ~128; // no longer "thinking"
      this.validate(next, req.files.length, true);
      r.original = this.applyMentions({ ...next, edited_timestamp: new Date().toISOString() }, req.body);
      return [200, r.original];
    });
    route('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, (m) => {
      const r = interactionFor(m[1], m[2]);
      if (!r.original) fail(404, 10008, 'Unknown Message');
      r.original = null;
      return [204, undefined];
    });
    route('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (m, req) => {
      const r = interactionFor(m[1], m[2]);
      if (!r.callback) fail(404, 10015, 'Unknown Webhook');
      this.validate(req.body, req.files.length);
      const msg = this.interactionMessage(r, req.body);
      r.followUps.push(msg);
      return [200, msg];
    });

    route('GET', /^\/channels\/(\d+)$/, (m, req) => {
      bot(req);
      return [200, this.channels.get(m[1]) ?? fail(404, 10003, 'Unknown Channel')];
    });
    route('POST', /^\/channels\/(\d+)\/messages$/, (m, req) => {
      bot(req);
      if (!this.channels.has(m[1])) fail(404, 10003, 'Unknown Channel');
      this.validate(req.body, req.files.length);
      const msg = this.storeMessage(m[1], {
        ...pick(req.body, ['content', 'embeds', 'components']),
        author: this.botUser,
        ...(req.body.message_reference ? { message_reference: req.body.message_reference, type: 19 } : {}),
      });
      this.applyMentions(msg, req.body);
      this.dispatchMessage(msg);
      return [200, msg];
    });
    route('GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m, req) => {
      bot(req);
      return [200, this.messages.get(m[1])?.find((x) => x.id === m[2]) ?? fail(404, 10008, 'Unknown Message')];
    });
    route('POST', /^\/channels\/(\d+)\/typing$/, (m, req) => {
      bot(req);
      return this.channels.has(m[1]) ? [204, undefined] : fail(404, 10003, 'Unknown Channel');
    });
    route('POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, (m, req) => {
      bot(req);
      const parent = this.channels.get(m[1]);
      const starter = this.messages.get(m[1])?.find((x) => x.id === m[2]);
      if (!parent || !starter) fail(404, 10008, 'Unknown Message');
      if (starter.thread) fail(400, 160004, 'A thread has already been created for this message');
      const name = String(req.body?.name ?? '');
      if (name.length < 1 || name.length > 100) fail(400, 50035, 'Invalid Form Body', { name: 'must be 1-100 characters' });
      const thread = {
        id: starter.id, // a thread started from a message has the message's id
        type: 11,
        guild_id: parent.guild_id,
        parent_id: parent.id,
        owner_id: this.botUser.id,
        name,
        last_message_id: null,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: req.body.auto_archive_duration ?? 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
      };
      this.channels.set(thread.id, thread);
      starter.thread = thread;
      this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return [201, thread];
    });
  }

  private onCallback(id: string, token: string, req: ParsedRequest): [number, Json] {
    const r = this.interactions.get(id);
    if (!r || r.token !== token) fail(404, 10062, 'Unknown interaction');
    const type = Number(req.body?.type);
    const ackMs = performance.now() - (r!.dispatchedAt ?? performance.now());
    const attempt = { type, status: 0, ackMs };
    r!.callbackAttempts.push(attempt);
    try {
      if (ackMs > this.callbackDeadlineMs) fail(404, 10062, 'Unknown interaction');
      if (r!.callback) fail(400, 40060, 'Interaction has already been acknowledged.');
      const data = req.body?.data ?? {};
      let message: Json = null;
      if (type === 4) {
        this.validate(data, req.files.length);
        message = r!.original = this.interactionMessage(r!, data);
      } else if (type === 5) {
        message = r!.original = this.interactionMessage(r!, { content: '', flags: (data.flags ?? 0) | 128 });
      } else if (type === 7) {
        this.validate({ ...r!.payload.message, ...data }, req.files.length);
        message = { ...r!.payload.message, ...data };
      } else if (type === 8) {
        const choices = data.choices ?? [];
        if (choices.length > 25 || choices.some((c: Json) => !c.name || c.name.length > 100 || String(c.value).length > 100)) {
          fail(400, 50035, 'Invalid Form Body', { choices: 'at most 25; name 1-100 and value up to 100 characters' });
        }
      } else if (type !== 6 && type !== 9) {
        fail(400, 50035, 'Invalid Form Body', { type: 'invalid callback type' });
      }
      r!.callback = { type, data, ackMs };
      attempt.status = req.query.with_response === 'true' ? 200 : 204;
      if (attempt.status === 204) return [204, undefined];
      return [200, {
        interaction: { id, type: r!.payload.type, response_message_id: message?.id, response_message_loading: type === 5, response_message_ephemeral: Boolean((message?.flags ?? 0) & 64) },
        resource: { type, ...(message ? { message } : {}) },
      }];
    } catch (e) {
      attempt.status = (e as HttpError).status;
      throw e;
    }
  }

  /** A message sent through an interaction (original response or follow-up). */
  private interactionMessage(r: InteractionRecord, data: Json): Json {
    const p = r.payload;
    const msg = {
      id: snowflake(),
      channel_id: p.channel_id,
      ...(p.guild_id ? { guild_id: p.guild_id } : {}),
      type: p.type === 2 ? 20 : 0,
      content: data.content ?? '',
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      attachments: [],
      author: this.botUser,
      webhook_id: this.appId,
      application_id: this.appId,
      flags: data.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      pinned: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      interaction_metadata: { id: p.id, type: p.type, user: p.member?.user ?? p.user, authorizing_integration_owners: p.authorizing_integration_owners },
    };
    return this.applyMentions(msg, data);
  }

  /** Who the message pings, given its `allowed_mentions` (absent = everything in the content). */
  private applyMentions(msg: Json, body: Json): Json {
    const allowed = body?.allowed_mentions;
    const parse: string[] = allowed ? (allowed.parse ?? []) : ['everyone', 'users', 'roles'];
    const content = String(msg.content ?? '');
    msg.mention_everyone = parse.includes('everyone') && /@(everyone|here)\b/.test(content);
    const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((x) => x[1]);
    const users = new Set([...(parse.includes('users') ? userIds : []), ...(allowed?.users ?? []).filter((u: string) => userIds.includes(u))]);
    msg.mentions = [...users].map((id) => ({ id, username: 'user', discriminator: '0', global_name: null, avatar: null }));
    const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((x) => x[1]);
    msg.mention_roles = parse.includes('roles') ? roleIds : (allowed?.roles ?? []).filter((r: string) => roleIds.includes(r));
    return msg;
  }

  /**
   * Refuse what Discord refuses: over-limit content/embeds (50035) and empty messages (50006).
   * @param isEdit edits are checked on the merged message.
   */
  private validate(msg: Json, fileCount: number, isEdit = false): void {
    const errors: Record<string, string> = {};
    const content = msg?.content ?? '';
    const embeds: Json[] = msg?.embeds ?? [];
    if (typeof content === 'string' && content.length > LIMITS.content) errors.content = `Must be ${LIMITS.content} or fewer in length.`;
    if (embeds.length > LIMITS.embeds) errors.embeds = `Must be ${LIMITS.embeds} or fewer in length.`;
    let total = 0;
    const len = (s: unknown) => (typeof s === 'string' ? s.length : 0);
    embeds.forEach((e, i) => {
      const check = (key: string, value: unknown, max: number) => {
        total += len(value);
        if (len(value) > max) errors[`embeds.${i}.${key}`] = `Must be ${max} or fewer in length.`;
      };
      check('title', e.title, LIMITS.title);
      check('description', e.description, LIMITS.description);
      check('footer.text', e.footer?.text, LIMITS.footer);
      check('author.name', e.author?.name, LIMITS.authorName);
      const fields: Json[] = e.fields ?? [];
      if (fields.length > LIMITS.fields) errors[`embeds.${i}.fields`] = `Must be ${LIMITS.fields} or fewer in length.`;
      fields.forEach((f, j) => {
        if (!f.name || !f.value) errors[`embeds.${i}.fields.${j}`] = 'This field is required';
        check(`fields.${j}.name`, f.name, LIMITS.fieldName);
        check(`fields.${j}.value`, f.value, LIMITS.fieldValue);
      });
    });
    if (total > LIMITS.embedTotal) errors.embeds = `Embed size exceeds maximum size of ${LIMITS.embedTotal}`;
    for (const [i, row] of (msg?.components ?? []).entries()) {
      if ((row.components ?? []).length > 5) errors[`components.${i}`] = 'Must be 5 or fewer in length.';
      for (const c of row.components ?? []) if (c.custom_id && c.custom_id.length > 100) errors[`components.${i}.custom_id`] = 'Must be 100 or fewer in length.';
    }
    if (Object.keys(errors).length) fail(400, 50035, 'Invalid Form Body', nestErrors(errors));
    const empty = !content && embeds.length === 0 && fileCount === 0 && !(msg?.components ?? []).length && !msg?.poll && !msg?.sticker_ids?.length;
    if (empty && !(isEdit && msg?.attachments?.length)) fail(400, 50006, 'Cannot send an empty message');
  }
}

/** `{"embeds.0.title": msg}` → Discord's nested `{embeds: {0: {title: {_errors: [...]}}}}`. */
function nestErrors(flat: Record<string, string>): Json {
  const out: Json = {};
  for (const [key, message] of Object.entries(flat)) {
    let node = out;
    for (const part of key.split('.')) node = node[part] ??= {};
    node._errors = [{ code: 'BASE_TYPE_MAX_LENGTH', message }];
  }
  return out;
}

function pick(obj: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => obj && k in obj).map((k) => [k, obj[k]]));
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, or multipart with a `payload_json` part and `files[n]` parts (as discord.js sends). */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: Json; files: RecordedRequest['files'] }> {
  if (!raw.length) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: RecordedRequest['files'] = [];
    let body: Json = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, size: value.size });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return fail(400, 50109, 'The request body contains invalid JSON.');
  }
}
