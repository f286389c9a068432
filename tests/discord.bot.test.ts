/**
 * The bot end to end: the real discord.js Client and core against the fake Discord.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { registerCommands } from '../src/discord/register.js';
import { snowflake } from './kit/fake-discord.js';
import { startHarness, textOf, type Harness } from './kit/bot-harness.js';
import { captureLogs } from './kit/log-capture.js';

const SEED_QUESTION = 'Wie viele Drohnen sollen im Monat produziert werden?';
const LIBRARY =
  'Die Stadtbibliothek Ravensburg öffnet ab dem 3. März auch sonntags, und zwar von 11 bis 17 Uhr. ' +
  'Der Eintritt bleibt frei. Leseausweise gibt es an der Theke im Erdgeschoss.';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const EPHEMERAL = 64;

/** A member of `guild` holding a fresh role with Manage Server. */
function moderator(hh: Harness, guild = hh.guildA) {
  const role = hh.fake.addRole(guild, 'Admins', PermissionFlagsBits.ManageGuild);
  return { user: hh.fake.newUser('mod'), roles: [role] };
}

/** Run /ask and wait for the full answer (the message with the 👍/👎 buttons). */
async function ask(hh: Harness, question: string, guild = hh.guildA, user = hh.fake.newUser('asker')) {
  const i = hh.fake.slash({ guild, user, name: 'ask', options: { question } });
  const messages = await hh.fake.waitForReply(i, (m) => m.some((x) => x.components?.length) || m.some((x) => x.flags & EPHEMERAL));
  return { i, messages };
}

async function add(hh: Harness, guild: typeof hh.guildA, who: { user: any; roles?: string[] }, options: Record<string, unknown>) {
  const i = hh.fake.slash({ guild, ...who, name: 'add', options });
  const [reply] = await hh.fake.waitForReply(i);
  return reply;
}

describe('discord bot', () => {
  it('/ask on the seed: deferred within 3 s, then an embed citing "100 Drohnen im Monat"', async () => {
    h = await startHarness();
    const { i, messages } = await ask(h, SEED_QUESTION);
    const record = h.fake.interactions.get(i.id)!;
    expect(record.callback?.type).toBe(5); // deferred first
    expect(record.callbackAttempts.map((a) => a.status)).toEqual([204]); // the fake answers 10062 after 3 s
    const [answer, ...passages] = messages.flatMap((m) => m.embeds);
    expect(answer.title).toBe(SEED_QUESTION);
    expect(answer.description).toMatch(/100 Drohnen im Monat.*\[1\]/);
    expect(passages[0].title).toMatch(/^\[1\] Bericht: Chinesischer Hersteller/);
    expect(passages[0].description).toContain('100 Drohnen im Monat');
    expect(passages[0].footer.text).toMatch(/^2023-02 · ¶\d+/);
    const buttons = messages.at(-1).components[0].components.map((c: any) => c.custom_id);
    expect(buttons).toEqual([`fb:up:${i.id}`, `fb:down:${i.id}`]);
    expect(h.fake.rejected()).toEqual([]);
    expect(h.fake.gateway.intents).toBe(1); // Guilds only without MENTIONS
  });

  it('/add reply shows a Markdown title literally: no masked link, no live mention', async () => {
    h = await startHarness();
    const reply = await add(h, h.guildA, moderator(h), { text: 'Die Fabrik soll rund 100 Drohnen im Monat bauen.', title: '[x](https://evil.example) <@123>' });
    // (titles never look like paths: sanitizeTitle turns '/' into spaces)
    expect(reply.content).toContain('\\[x\\]\\(https: evil.example\\) \\<@123\\>');
    expect(reply.content).not.toMatch(/(?<!\\)\]\(/);
  });

  it('/add by a non-moderator is refused ephemerally and stores nothing', async () => {
    h = await startHarness();
    const reply = await add(h, h.guildA, { user: h.fake.newUser('bob') }, { text: LIBRARY });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/moderator/i);
    expect(h.dossier.list(h.guildA.id).map((d) => d.scope)).toEqual([null]);
    // /remove is guarded the same way
    const r = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('bob'), name: 'remove', options: { document: 'x' } });
    const [removeReply] = await h.fake.waitForReply(r);
    expect(removeReply.content).toMatch(/moderator/i);
  });

  it('/add by a moderator, then /ask finds it; guild B does not see it', async () => {
    h = await startHarness();
    const reply = await add(h, h.guildA, moderator(h), { text: LIBRARY, title: 'Bibliothek' });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^✅ Added “Bibliothek”/);
    const docs = h.dossier.list(h.guildA.id).filter((d) => d.scope === h!.guildA.id);
    expect(docs.map((d) => d.title)).toEqual(['Bibliothek']);

    const inA = await ask(h, 'Wann öffnet die Stadtbibliothek sonntags?');
    expect(textOf(inA.messages)).toContain('11 bis 17 Uhr');
    expect(inA.messages.flatMap((m) => m.embeds)[1].title).toBe('[1] Bibliothek');

    const inB = await ask(h, 'Wann öffnet die Stadtbibliothek sonntags?', h.guildB);
    expect(textOf(inB.messages)).not.toContain('11 bis 17 Uhr');
    expect(inB.messages.flatMap((m) => m.embeds).some((e) => e.title?.includes('Bibliothek') && e.title.startsWith('['))).toBe(false);
    expect(h.asks.map((a) => a.opts?.scope)).toEqual([h.guildA.id, h.guildB.id]);
  });

  it('the MODERATOR_ROLE_ID role may add a .md attachment; other file types are refused', async () => {
    const roleId = snowflake();
    h = await startHarness({ MODERATOR_ROLE_ID: roleId });
    h.fake.addRole(h.guildA, 'Dossier editors', 0n, roleId);
    const editor = { user: h.fake.newUser('editor'), roles: [roleId] };
    const md = h.fake.hostAttachment('feuerwehr.md', '# Feuerwehrfest\n\nDas Feuerwehrfest in Weingarten findet am 14. Juni auf dem Marktplatz statt.\n');
    const reply = await add(h, h.guildA, editor, { file: md });
    expect(reply.content).toMatch(/^✅ Added “Feuerwehrfest”/);
    const { messages } = await ask(h, 'Wann ist das Feuerwehrfest in Weingarten?');
    expect(textOf(messages)).toContain('14. Juni');

    const docx = h.fake.hostAttachment('x.docx', 'PK', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const refused = await add(h, h.guildA, editor, { file: docx });
    expect(refused.content).toMatch(/not a format I can read/);
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);

    // A .pdf is accepted by the bot and parsed by the core; a broken one gets the parser's reason.
    const pdf = h.fake.hostAttachment('x.pdf', '%PDF-1.4', 'application/pdf');
    const broken = await add(h, h.guildA, editor, { file: pdf });
    expect(broken.content).toMatch(/PDF/);
    expect(broken.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(h!.dossier.list(h!.guildA.id).filter((d) => d.scope === h!.guildA.id).map((d) => d.title)).toEqual(['Feuerwehrfest']);
  });

  it('/add url: fetches the page through the core (private addresses only when allowed)', async () => {
    h = await startHarness({ ALLOW_PRIVATE_URLS: true });
    const page = h.fake.hostAttachment('markt.html', '<html><head><title>Wochenmarkt</title></head><body><p>Der Wochenmarkt in Tettnang findet jeden Samstag von 7 bis 13 Uhr statt.</p></body></html>', 'text/html; charset=utf-8');
    const reply = await add(h, h.guildA, moderator(h), { url: page.url });
    expect(reply.content).toMatch(/^✅ Added “Wochenmarkt”/);
    const { messages } = await ask(h, 'Wann ist der Wochenmarkt in Tettnang?');
    expect(textOf(messages)).toContain('7 bis 13 Uhr');
  });

  it('/add url: a private address is refused with the core’s message', async () => {
    h = await startHarness();
    const page = h.fake.hostAttachment('x.txt', 'Text.');
    const reply = await add(h, h.guildA, moderator(h), { url: page.url });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^⚠️ I won't fetch .*loopback address/);
    expect(h.dossier.list(h.guildA.id)).toHaveLength(1);
  });

  it('reports bad input from the core ephemerally (InputError message), without a public message', async () => {
    h = await startHarness();
    const reply = await add(h, h.guildA, moderator(h), { text: '   \u200b  ' });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^⚠️ .*(empty|no text)/i);
    const twoInputs = await add(h, h.guildA, moderator(h), { text: 'a', url: 'https://example.org' });
    expect(twoInputs.content).toMatch(/exactly one of/);
  });

  it('a failure after the public "thinking…" message: it is deleted and the error goes only to the asker', async () => {
    // The bot's logger is made when it starts: capture before, so the error is asserted, not printed.
    const logs = captureLogs('warn');
    let i!: ReturnType<Harness['fake']['slash']>;
    let reply: any;
    try {
      h = await startHarness({}, { wrap: () => ({ ask: async () => Promise.reject(new Error('index exploded')) }) });
      i = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('u'), name: 'ask', options: { question: SEED_QUESTION } });
      [reply] = await h.fake.waitForReply(i);
    } finally {
      logs.restore();
    }
    const errors = logs.lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ component: 'discord', err: { message: 'index exploded' } });
    expect(JSON.stringify(errors[0])).toContain(i.id);
    const record = h.fake.interactions.get(i.id)!;
    expect(record.callback?.type).toBe(5);
    expect(record.original).toBeNull(); // deleted
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toBe(`⚠️ Something went wrong (reference ${i.id}). The error was logged.`);
    expect(reply.content).not.toContain('index exploded');
  });

  it('@everyone in a document pings nobody: allowed_mentions.parse is empty on every message', async () => {
    h = await startHarness();
    const text = '@everyone Achtung: Die Probe der Feuerwehr beginnt am Freitag um 19 Uhr. <@123456789012345678> bringt den Schlüssel mit.';
    await add(h, h.guildA, moderator(h), { text, title: '@everyone Probe' });
    const { messages } = await ask(h, 'Wann beginnt die Probe der Feuerwehr?');
    // Shown (the shared escaper puts a zero-width space after '@' in document text and titles).
    expect(textOf(messages).replace(/\u200b/g, '')).toContain('@everyone');
    // error paths echo user input in plain content
    const s = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('x'), name: 'summary', options: { document: '@here and @everyone' } });
    const [err] = await h.fake.waitForReply(s);
    expect(err.content.replace(/\u200b/g, '')).toContain('@everyone'); // escaped like document text
    const src = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('x'), name: 'sources' });
    await h.fake.waitForReply(src);

    const bodies = h.fake.messageBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const b of bodies) expect(b.allowed_mentions).toEqual({ parse: [] });
    const all = [...h.fake.interactions.values()].flatMap((r) => h!.fake.replyMessages(r));
    for (const m of all) {
      expect(m.mention_everyone).toBe(false);
      expect(m.mentions).toEqual([]);
    }
  });

  it('/remove autocompletes over this guild’s own documents and removes one', async () => {
    h = await startHarness();
    const mod = moderator(h);
    await add(h, h.guildA, mod, { text: LIBRARY, title: 'Bibliothek' });
    await add(h, h.guildA, mod, { text: 'Der Wochenmarkt findet jeden Samstag von 7 bis 13 Uhr statt.', title: 'Wochenmarkt' });
    await add(h, h.guildB, moderator(h, h.guildB), { text: 'Das Hallenbad ist im August geschlossen.', title: 'Hallenbad' });

    const complete = async (value: string) => {
      const i = h!.fake.autocomplete({ guild: h!.guildA, ...mod, name: 'remove', focused: 'document', options: { document: value } });
      await h!.fake.waitFor(() => h!.fake.interactions.get(i.id)!.callback, 5000, 'autocomplete');
      const cb = h!.fake.interactions.get(i.id)!.callback!;
      expect(cb.type).toBe(8);
      return cb.data.choices as { name: string; value: string }[];
    };
    const all = await complete('');
    expect(all.map((c) => c.name).sort()).toEqual(['Bibliothek', 'Wochenmarkt']); // not the shared seed, not guild B's
    const some = await complete('woch');
    expect(some.map((c) => c.name)).toEqual(['Wochenmarkt']);

    const r = h.fake.slash({ guild: h.guildA, ...mod, name: 'remove', options: { document: some[0].value } });
    const [reply] = await h.fake.waitForReply(r);
    expect(reply.content).toBe('🗑️ Removed “Wochenmarkt”.');
    expect(h.dossier.list(h.guildA.id).map((d) => d.title)).not.toContain('Wochenmarkt');

    const seedId = h.dossier.list(null)[0].id;
    const shared = h.fake.slash({ guild: h.guildA, ...mod, name: 'remove', options: { document: seedId } });
    const [refusal] = await h.fake.waitForReply(shared);
    expect(refusal.content).toMatch(/shared by all servers/);
    expect(h.dossier.list(null)).toHaveLength(1);
  });

  it('👍/👎 votes are stored with question, answer and citations; a second vote replaces the first', async () => {
    h = await startHarness();
    const { i, messages } = await ask(h, SEED_QUESTION);
    const last = messages.at(-1);
    const voter = h.fake.newUser('voter');
    const click = async (customId: string, user = voter) => {
      const b = h!.fake.button({ guild: h!.guildA, user, message: last, customId });
      const [reply] = await h!.fake.waitForReply(b);
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      return reply.content as string;
    };
    expect(await click(`fb:up:${i.id}`)).toMatch(/Thanks/);
    let rows = await h.feedback.list(i.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ interactionId: i.id, guildId: h.guildA.id, userId: voter.id, vote: 'up', question: SEED_QUESTION });
    expect(rows[0].answer).toContain('100 Drohnen im Monat');
    expect(rows[0].citations[0].quote).toContain('100 Drohnen im Monat');

    expect(await click(`fb:down:${i.id}`)).toMatch(/changed/);
    rows = await h.feedback.list(i.id);
    expect(rows.map((r) => r.vote)).toEqual(['down']);
    await click(`fb:up:${i.id}`, h.fake.newUser('other'));
    expect(await h.feedback.counts(i.id)).toEqual({ up: 1, down: 1 });
  });

  it('registers the commands with the right definitions (guild and global routes)', async () => {
    h = await startHarness();
    const put = h.fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${h!.fake.appId}/guilds/${h!.guildA.id}/commands`);
    expect(put?.status).toBe(200);
    const byName = Object.fromEntries((put!.body as any[]).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['add', 'ask', 'remove', 'sources', 'summary']);
    expect(byName.add.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(byName.remove.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(byName.ask.default_member_permissions ?? null).toBeNull();
    expect(byName.ask.options).toMatchObject([{ name: 'question', type: 3, required: true }]);
    expect(byName.add.options.map((o: any) => [o.name, o.type])).toEqual([['text', 3], ['file', 11], ['url', 3], ['title', 3]]);
    expect(byName.remove.options[0]).toMatchObject({ name: 'document', required: true, autocomplete: true });
    expect(byName.summary.options.map((o: any) => o.name)).toEqual(['document', 'sentences']);

    const result = await registerCommands(h.bot.client.rest, h.fake.appId, 'global');
    expect(result.commands).toHaveLength(5);
    expect(h.fake.commands.get('global')).toHaveLength(5);
  });

  it('rate-limits per user (RATE_LIMIT_PER_MINUTE), answering ephemerally', async () => {
    h = await startHarness({ RATE_LIMIT_PER_MINUTE: 2 });
    const user = h.fake.newUser('fast');
    await ask(h, SEED_QUESTION, h.guildA, user);
    await ask(h, SEED_QUESTION, h.guildA, user);
    const third = await ask(h, SEED_QUESTION, h.guildA, user);
    expect(third.messages[0].flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(third.messages[0].content).toMatch(/going a bit fast: try again in \d+ s/);
    const other = await ask(h, SEED_QUESTION);
    expect(textOf(other.messages)).toContain('100 Drohnen im Monat');
    expect(h.asks).toHaveLength(3);
  });

  it('/sources lists the shared documents and this guild’s own', async () => {
    h = await startHarness();
    await add(h, h.guildA, moderator(h), { text: LIBRARY, title: 'Bibliothek' });
    await add(h, h.guildB, moderator(h, h.guildB), { text: 'Das Hallenbad ist im August geschlossen.', title: 'Hallenbad' });
    const i = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('x'), name: 'sources' });
    const messages = await h.fake.waitForReply(i);
    const text = textOf(messages);
    expect(text).toMatch(/Documents \(2\)/);
    expect(text).toMatch(/Bericht: Chinesischer Hersteller soll Kamikazedrohnen.*shared/);
    expect(text).toMatch(/Bibliothek\*\* — .*this server/);
    expect(text).not.toContain('Hallenbad');
  });

  it('/summary autocompletes documents and answers with a cited summary', async () => {
    h = await startHarness();
    const user = h.fake.newUser('x');
    const ac = h.fake.autocomplete({ guild: h.guildA, user, name: 'summary', focused: 'document', options: { document: 'kamikaze' } });
    const choices = (await h.fake.waitFor(() => h!.fake.interactions.get(ac.id)!.callback, 5000)).data.choices;
    expect(choices).toHaveLength(1);
    const i = h.fake.slash({ guild: h.guildA, user, name: 'summary', options: { document: choices[0].value, sentences: 2 } });
    const messages = await h.fake.waitForReply(i);
    expect(messages[0].embeds[0].title).toMatch(/^Summary: Bericht: Chinesischer Hersteller/);
    expect(messages.flatMap((m) => m.embeds).some((e) => /^\[1\] /.test(e.title ?? ''))).toBe(true);
    expect(h.fake.rejected()).toEqual([]);
  });
});
