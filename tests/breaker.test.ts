/**
 * Bad input found by trying dossier as a careless or hostile user would (the breaker pass):
 * each case here failed before its fix.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { safeSource } from '../src/corpus/source.js';
import { openDatabase } from '../src/store/db.js';
import { cleanDate, detectFormat, parseBytes, parseText } from '../src/corpus/parse.js';
import { startHarness, type Harness } from './kit/bot-harness.js';
import { ROOT, tempDir } from './helpers.js';

describe('header and metadata dates', () => {
  it.each(['2024-13-45', '2023-02-29', '2023-00', '31.02.2023', '00.01.2023', '2023-02-24T25:00', '2023-02-24T10:60'])('drops the impossible date %s', (d) => {
    expect(cleanDate(d)).toBeUndefined();
  });

  it.each(['2023', '2023-02', '2024-02-29', '2023-02-24T10:00Z', '24.02.2023', '24. Februar 2023', 'Jänner 2023'])('keeps the real date %s', (d) => {
    expect(cleanDate(d)).toBe(d);
  });

  it('a header with an over-long `title:` line keeps its date and source, and the title is cut', () => {
    const doc = parseText(`title: ${'Langer Titel '.repeat(5000)}\ndate: 2024-05\nsource: https://example.org/x\n\nDie Stadt Neumünster baut ein Stadion.`);
    expect(doc.date).toBe('2024-05');
    expect(doc.source).toBe('https://example.org/x');
    expect(doc.title!.startsWith('Langer Titel Langer')).toBe(true);
    expect(doc.title!.length).toBeLessThanOrEqual(300);
    expect(doc.text.slice(doc.bodyStart ?? 0)).toBe('Die Stadt Neumünster baut ein Stadion.');
  });

  it('a long prose line starting with "title " (no colon) is still body text', () => {
    const doc = parseText(`title ${'Prosa '.repeat(100)}\n\nDie Stadt baut.`);
    expect(doc.title).toBeUndefined();
    expect(doc.bodyStart ?? 0).toBe(0);
  });

  it('a header with a bad date keeps its title and body but stores no date', () => {
    const doc = parseText('title: Schleuse\ndate: 2024-13-45\n\nDie Stadt Rendsburg baut eine Schleuse.');
    expect(doc.title).toBe('Schleuse');
    expect(doc.date).toBeUndefined();
    expect(doc.text.slice(doc.bodyStart ?? 0)).toBe('Die Stadt Rendsburg baut eine Schleuse.');
  });
});

describe('HTML where Markdown or text was promised', () => {
  const PAGE = '<!doctype html><html><body><h1>Hallo</h1><p>Die Stadt Kiel baut einen Hafen.</p><script>alert(1)</script></body></html>';

  it.each(['page.md', 'page.txt'])('a whole HTML page named %s is parsed as HTML', async (filename) => {
    expect(detectFormat(Buffer.from(PAGE), filename)).toBe('html');
    const doc = await parseBytes(Buffer.from(PAGE), { filename, maxBytes: 1 << 20 });
    expect(doc.text).toBe('Hallo\n\nDie Stadt Kiel baut einen Hafen.');
    expect(doc.title).toBe('Hallo');
  });

  it('a .txt that only mentions a tag stays text', () => {
    expect(detectFormat(Buffer.from('Use <html> to start a page.'), 'notes.txt')).toBe('txt');
  });

  it('raw HTML inside Markdown: block tags separate words, script and style bodies are dropped', async () => {
    const md = '# Titel\n\nText <b>fett</b> und<br>Zeile<div>Block</div><p>Absatz</p>\n\n<script>\nvar geheim = 1;\n</script>\n\n<style>p { color: red }</style>Ende.';
    const doc = await parseBytes(Buffer.from(md), { filename: 'y.md', maxBytes: 1 << 20 });
    expect(doc.text).toBe('Titel\n\nText fett und Zeile Block Absatz\n\nEnde.');
  });

  it('an unclosed <script> in Markdown drops the rest instead of indexing code', async () => {
    const doc = await parseBytes(Buffer.from('Die Stadt Kiel baut einen Hafen.\n\n<script>var a = 1;\n\nvar b = 2;'), { filename: 'z.md', maxBytes: 1 << 20 });
    expect(doc.text).toBe('Die Stadt Kiel baut einen Hafen.');
  });
});

describe('sources of local files', () => {
  it.each(['/srv/docs/a b.txt', 'C:\\docs\\x.pdf', '\\\\server\\share\\x.txt'])('keeps the absolute path %s', (p) => {
    expect(safeSource(p)).toBe(p);
  });

  it.each(['//evil.example/x', '/', '/[x](https://e)'])('still drops %s', (p) => {
    expect(safeSource(p)).toBeUndefined();
  });

  it('CLI: two files with one title are two documents; an edited file replaces its own older version', () => {
    const dir = tempDir();
    const env = { ...process.env, EMBEDDINGS: 'off', DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'empty-corpus'), LOG_LEVEL: 'error' };
    fs.mkdirSync(env.CORPUS_DIR);
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    const a = path.join(dir, 'eutin.txt');
    const b = path.join(dir, 'moelln.txt');
    fs.writeFileSync(a, 'title: Gleich\n\nDie Stadt Eutin baut ein Schloss.');
    fs.writeFileSync(b, 'title: Gleich\n\nDie Stadt Mölln baut eine Kirche.');
    expect(cli('ingest', a, b).stdout).toContain('2 added, 0 unchanged, 0 replaced');
    const listed = () => (JSON.parse(cli('list', '--json').stdout) as { title: string; source?: string | null }[]).map((d) => d.title);
    expect(listed()).toEqual(['Gleich', 'Gleich']);
    fs.writeFileSync(a, 'title: Gleich\n\nDie Stadt Eutin baut zwei Schlösser.');
    expect(cli('ingest', a).stdout).toContain('0 added, 0 unchanged, 1 replaced');
    expect(listed()).toEqual(['Gleich', 'Gleich']);
  }, 120_000);
});

describe('a new SQLite store', () => {
  it('appears under its name already holding a header, so a second process never sees 0 bytes', () => {
    const dir = path.join(tempDir(), 'data');
    const file = path.join(dir, 'dossier.sqlite');
    const seen: { existed: boolean; header: string }[] = [];
    const link = vi.spyOn(fs, 'linkSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
      seen.push({ existed: fs.existsSync(to), header: fs.readFileSync(from).subarray(0, 16).toString('latin1') });
      fs.copyFileSync(from, to);
    }) as typeof fs.linkSync);
    try {
      openDatabase(dir).close();
    } finally {
      link.mockRestore();
    }
    expect(seen).toEqual([{ existed: false, header: 'SQLite format 3\u0000' }]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.new-'))).toEqual([]);
    // a second open of the same folder uses the file as it is
    openDatabase(dir).close();
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });

  it('a second opener that loses the race to create the file uses the winner\'s', () => {
    const dir = path.join(tempDir(), 'data');
    const first = openDatabase(dir);
    first.prepare("INSERT INTO removed_bundled (source) VALUES ('corpus/x.txt')").run();
    const existsSync = fs.existsSync;
    const spy = vi.spyOn(fs, 'existsSync').mockImplementation((p) => (String(p).endsWith('dossier.sqlite') ? false : existsSync(p)));
    let second;
    try {
      second = openDatabase(dir); // believes the file is new, links, gets EEXIST
    } finally {
      spy.mockRestore();
    }
    expect(second.prepare('SELECT source FROM removed_bundled').pluck().all()).toEqual(['corpus/x.txt']);
    second.close();
    first.close();
  });
});

describe('configuration values', () => {
  it.each([
    [{ DATA_DIR: '   ' }, /DATA_DIR: must be a folder path, not empty or blank/],
    [{ CORPUS_DIR: '' }, /CORPUS_DIR: must be a folder path/],
    [{ RATE_LIMIT_PER_MINUTE: '0x10' }, /RATE_LIMIT_PER_MINUTE: must be a whole number from 0 to 10000 \(got "0x10"\)/],
    [{ FETCH_TIMEOUT_MS: '1e4' }, /FETCH_TIMEOUT_MS: must be a whole number/],
    [{ ABSTAIN_THRESHOLD: 'Infinity' }, /ABSTAIN_THRESHOLD: must be a number from 0 to 1/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError);
    expect(() => loadConfig({}, env)).toThrow(message);
  });

  it('still reads plain decimals', () => {
    expect(loadConfig({}, { RATE_LIMIT_PER_MINUTE: ' 12 ', ABSTAIN_THRESHOLD: '.5', FETCH_TIMEOUT_MS: '+2000' })).toMatchObject({ RATE_LIMIT_PER_MINUTE: 12, ABSTAIN_THRESHOLD: 0.5, FETCH_TIMEOUT_MS: 2000 });
  });

  it('a bad EMBEDDINGS stops `list` too, although list never loads the model', () => {
    const env = { ...process.env, EMBEDDINGS: 'maybe', DATA_DIR: path.join(tempDir(), 'data'), CORPUS_DIR: path.join(ROOT, 'corpus'), LOG_LEVEL: 'error' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'list'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/EMBEDDINGS: .*\(got "maybe"\)/);
    expect(r.stdout).toBe('');
  }, 60_000);
});

describe('discord: typed values echoed back', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RATE_LIMIT_PER_MINUTE: 0 });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });
  const EPHEMERAL = 64;
  const mod = () => ({ user: h.fake.newUser('mod'), roles: [h.fake.addRole(h.guildA, 'Admins', PermissionFlagsBits.ManageGuild)] });
  async function reply(name: string, options: Record<string, any>, who: { user: any; roles?: string[] } = { user: h.fake.newUser('u') }) {
    const i = h.fake.slash({ guild: h.guildA, ...who, name, options });
    const done = (m: any[]) => m.some((x) => x.components?.length || x.flags & EPHEMERAL);
    return h.fake.waitForReply(i, done);
  }

  it('/ask shows a question with a masked link or a mention as plain words in the embed title (link and mention removed)', async () => {
    const messages = await reply('ask', { question: 'Wie viele [Drohnen](https://evil.example) baut <@123> im Monat?' });
    const title: string = messages[0].embeds[0].title;
    expect(title).toBe('Wie viele Drohnen baut im Monat?');
    expect(h.fake.rejected()).toEqual([]);
  });

  it('/ask keeps an escaped long question within the 256-character title limit', async () => {
    const messages = await reply('ask', { question: `${'[x](y) '.repeat(120)}Drohnen?` });
    const title: string = messages[0].embeds[0].title;
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title.startsWith('\\[x\\]\\(y\\)')).toBe(true);
    expect(h.fake.rejected()).toEqual([]);
  });

  it('/summary of an unknown document echoes the value escaped and cut, not as a live link', async () => {
    const [m] = await reply('summary', { document: `[klick](https://evil.example) @everyone ${'lang '.repeat(300)}` });
    expect(m.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(m.content).toMatch(/^⚠️ No document here matches “\\\[klick\\\]\\\(https:\/\/evil\.example\\\) @\u200beveryone lang /);
    expect(m.content).not.toMatch(/(?<!\\)\]\(/);
    expect(m.content.length).toBeLessThan(250);
    expect(m.mention_everyone).toBe(false);
  });

  it.each([
    ['not a URL', '[klick](https://evil.example)'],
    ['another scheme', 'ftp://[klick](https://evil.example)'],
    ['a loopback address', 'http://127.0.0.1:1/[klick](https://evil.example)'],
  ])('/add url refused (%s) quotes the URL escaped: no live masked link', async (_what, url) => {
    const [m] = await reply('add', { url }, mod());
    expect(m.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(m.content).toContain('\\[klick\\]\\(https://evil.example\\)');
    expect(m.content).not.toMatch(/(?<!\\)\]\(/);
  });

  it('/add file of an unreadable type quotes its name escaped', async () => {
    const file = h.fake.hostAttachment('[klick](https:evil.example) <@&1>.docx', 'x');
    const [m] = await reply('add', { file }, mod());
    expect(m.content).toMatch(/^⚠️ “\\\[klick\\\]\\\(https:evil\.example\\\) \\<@&1\\>\.docx” is not a format I can read/);
    expect(m.mention_roles).toEqual([]);
  });

  it('/remove and /summary of a title two documents share name the problem and the ids; nothing is removed', async () => {
    const who = mod();
    const a = h.fake.hostAttachment('eutin.txt', 'title: Gleich\n\nDie Stadt Eutin baut ein Schloss.');
    const b = h.fake.hostAttachment('moelln.txt', 'title: Gleich\n\nDie Stadt Mölln baut eine Kirche.');
    expect((await reply('add', { file: a }, who))[0].content).toMatch(/^✅ Added “Gleich”/);
    expect((await reply('add', { file: b }, who))[0].content).toMatch(/^✅ Added “Gleich”/);
    const own = () => h.dossier.list(h.guildA.id).filter((d) => d.title === 'Gleich');
    const ids = own().map((d) => d.id);
    expect(ids).toHaveLength(2);

    const [removed] = await reply('remove', { document: 'gleich' }, who);
    expect(removed.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(removed.content).toContain('2 documents are titled “gleich”');
    for (const id of ids) expect(removed.content).toContain(`\`${id}\``);
    expect(own().map((d) => d.id).sort()).toEqual([...ids].sort());

    const [summary] = await reply('summary', { document: 'Gleich' });
    expect(summary.content).toContain('2 documents are titled “Gleich”');

    // the id from the message picks one
    const [one] = await reply('remove', { document: ids[0] }, who);
    expect(one.content).toBe('🗑️ Removed “Gleich”.');
    expect(own().map((d) => d.id)).toEqual([ids[1]]);
  });
});
