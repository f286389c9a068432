/** Regression tests for the tester's bug list (fetch timeout, lone surrogates, overrides, cache warning). */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { InputError } from '../src/corpus/types.js';
import { fetchUrl } from '../src/corpus/fetch-url.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { tempDir, testConfig } from './helpers.js';
import { withLogs } from './kit/log-capture.js';

const open: Dossier[] = [];
async function core(overrides: Record<string, unknown> = {}): Promise<Dossier> {
  const d = await Dossier.open(testConfig({ TRANSLATE: false, ...overrides }, { corpus: 'empty' }));
  open.push(d);
  return d;
}
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

/**
 * A raw TCP server on 127.0.0.1 that answers 200 with a body delimited by the connection closing
 * (no Content-Length, not chunked) and trickles a sentence every 20 ms for `totalMs`.
 */
async function trickleServer(totalMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.once('data', () => {
      sock.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n');
      let i = 0;
      const t = setInterval(() => {
        if (sock.destroyed) return clearInterval(t);
        sock.write(`Satz ${i++} ist gut. `);
        if (i * 20 >= totalMs) {
          clearInterval(t);
          sock.end();
        }
      }, 20);
      sock.on('close', () => clearInterval(t));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/page.txt`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('a body still arriving at FETCH_TIMEOUT_MS', () => {
  it('fetchUrl fails with fetch-timeout instead of returning the part read so far', async () => {
    const srv = await trickleServer(3000);
    try {
      const err = await fetchUrl(srv.url, { timeoutMs: 300, maxBytes: 1e6, maxRedirects: 0, allowPrivate: true }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).reason).toBe('fetch-timeout');
    } finally {
      await srv.close();
    }
  });

  it('a body that ends in time is returned whole', async () => {
    const srv = await trickleServer(200);
    try {
      const r = await fetchUrl(srv.url, { timeoutMs: 5000, maxBytes: 1e6, maxRedirects: 0, allowPrivate: true });
      const text = Buffer.from(r.bytes).toString('utf8');
      expect(text.startsWith('Satz 0 ist gut. ')).toBe(true);
      expect(text).toContain('Satz 9 ist gut. ');
    } finally {
      await srv.close();
    }
  });

  it('ingest by URL: refused as a timeout, nothing stored', async () => {
    const srv = await trickleServer(3000);
    try {
      const d = await core({ ALLOW_PRIVATE_URLS: true, FETCH_TIMEOUT_MS: 300 });
      const err = await d.ingest({ url: srv.url }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).reason).toBe('fetch-timeout');
      expect(d.list()).toHaveLength(0);
    } finally {
      await srv.close();
    }
  });
});

describe('lone UTF-16 surrogates in ingest({ text })', () => {
  it('are stored as U+FFFD before offsets are computed: quotes are the stored slice, whole sentence', async () => {
    const d = await core();
    const target = 'Die Fabrik soll rund 100 Drohnen im Monat bauen.';
    const text =
      'Einleitung mit \uD800 kaputtem Zeichen und \uDC00 noch einem. ' +
      'Noch ein Satz \uDBFF\uD83D\uDE00 mit Emoji. ' +
      target +
      ' Ende \uDFFF.';
    const r = await d.ingest({ text, title: 'Surrogat' });
    const stored = d.documentText(r.document.id)!;
    expect(stored).toBe(text.replace(/\uD800|\uDC00|\uDBFF(?=\uD83D)|\uDFFF/g, '\uFFFD'));
    expect(Buffer.from(stored, 'utf8').toString('utf8')).toBe(stored); // well-formed: survives UTF-8
    const a = await d.ask('Wie viele Drohnen baut die Fabrik im Monat?');
    const c = a.citations.find((x) => x.quote.includes('100 Drohnen'));
    expect(c).toBeDefined();
    expect(c!.quote).toBe(stored.slice(c!.start, c!.end));
    expect(c!.quote).toContain(target);
  });
});

/** Capture log lines (parsed JSON) while `fn` runs; nothing reaches stderr. */
const captureLogs = withLogs;

describe('a damaged dictionary cache is rebuilt with one warning', () => {
  const damages: [string, (b: Buffer) => void][] = [
    // The tester's case: the JSON header stays parseable (the bytes land inside a key).
    ['bytes 8–24 set to 0x7fffffff', (b) => {
      for (let i = 8; i < 24; i += 4) b.writeInt32LE(0x7fffffff, i);
    }],
    ['header version changed', (b) => {
      const at = b.indexOf('"version":');
      b.write('"vErsion":', at);
    }],
    ['a body byte flipped', (b) => {
      b[b.length - 3] ^= 0xff;
    }],
  ];
  for (const [name, damage] of damages) {
    it(`${name}: one warning at the CLI's level (warn), rebuilt, then silent`, async () => {
      const dir = tempDir();
      const when = new Date('2021-03-04T00:00:00Z');
      const dictAt = (n: string) => {
        const p = path.join(dir, n);
        fs.writeFileSync(p, 'Drohne {f} | Drohnen {pl} :: drone | drones\nMonat {m} :: month\n');
        fs.utimesSync(p, when, when);
        return p;
      };
      const cache = path.join(dir, 'cache');
      expect(loadDictionary(dictAt('a'), cache)).not.toBeNull();
      const [file] = fs.readdirSync(cache).filter((f) => f.endsWith('.bin'));
      const bytes = fs.readFileSync(path.join(cache, file));
      const good = Buffer.from(bytes);
      damage(bytes);
      fs.writeFileSync(path.join(cache, file), bytes);
      // Through the core, as the CLI opens it (LOG_LEVEL=warn); a new dictionary path with the same
      // size and time maps to the same cache file, not to this process's loaded copy.
      const config = (p: string) => testConfig({ TRANSLATE: true, DICT_PATH: p, CACHE_DIR: cache, LOG_LEVEL: 'warn' }, { corpus: 'empty' });
      const first = await captureLogs(async () => (await Dossier.open(config(dictAt('b')))).close());
      const warnings = first.lines.filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].msg).toMatch(/dictionary cache .* is damaged: .*; rebuilding it/);
      expect(fs.readFileSync(path.join(cache, file)).equals(good)).toBe(true); // rebuilt whole
      const second = await captureLogs(async () => (await Dossier.open(config(dictAt('c')))).close());
      expect(second.lines.filter((l) => l.level >= 40)).toHaveLength(0);
    });
  }

  it('a missing cache is built without a warning', async () => {
    const dir = tempDir();
    const p = path.join(dir, 'de-en');
    fs.writeFileSync(p, 'Hafen {m} :: harbour\n');
    const { result, lines } = await captureLogs(() => loadDictionary(p, path.join(dir, 'cache')));
    expect(result!.en.get('harbour')).toContain('hafen');
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(0);
  });
});

describe('date/source/title overrides given to ingest', () => {
  const evilDate = '<@123> [x](https://evil.example)';
  const text = 'Die Fabrik soll rund 100 Drohnen im Monat bauen. Ein zweiter Satz folgt hier.';

  it('an invalid date is dropped, a valid one kept; source only http(s) or file-like', async () => {
    const d = await core();
    const bad = await d.ingest({ text, title: 'A', date: evilDate, source: 'javascript:alert(1)' });
    expect(bad.document.date).toBeNull();
    expect(bad.document.source).toBeNull();
    const good = await d.ingest({ text: text + ' Noch einer.', title: 'B', date: '24. Februar 2023', source: 'https://example.org/artikel?id=1' });
    expect(good.document.date).toBe('24. Februar 2023');
    expect(good.document.source).toBe('https://example.org/artikel?id=1');
    const file = await d.ingest({ text: text + ' Und noch einer.', title: 'C', date: '2023-02', source: 'berichte/Bericht (1).pdf' });
    expect(file.document.date).toBe('2023-02');
    expect(file.document.source).toBe('berichte/Bericht (1).pdf');
    for (const s of ['data:text/html,<b>x</b>', 'JaVaScRiPt:alert(1)', '[x](https://evil.example)', '<@123>', 'https://a b.example/', 'vbscript:x']) {
      const r = await d.ingest({ text: `${text} ${s.length} ${Math.random()}`, title: `T ${s}`, source: s });
      expect(r.document.source).toBeNull();
    }
  });
});

describe('document fields in /sources and citation embeds are escaped', () => {
  const evilDate = '<@123> [x](https://evil.example)';
  const noLiveMarkup = (s: string) => {
    // Every '<', '[', '(' that could start a mention or masked link carries a backslash.
    expect(s).not.toMatch(/(?<!\\)<@/);
    expect(s).not.toMatch(/(?<!\\)\]\(/);
  };

  it('/sources: an unchecked date (stored before the check) and a Markdown title are shown literally', async () => {
    const { sourcesMessages } = await import('../src/discord/reply.js');
    const docs = [{ id: 'abc', title: '**T** <@1>', date: evilDate, source: null, language: 'de', scope: null, chars: 10, chunks: 1, addedAt: '2023-01-01' }];
    const [msg] = sourcesMessages(docs as never, null);
    const description = msg.embeds![0].description!;
    noLiveMarkup(description);
    expect(description).toContain('\\<@123\\>');
    expect(description).toContain('\\*\\*T\\*\\*');
  });

  it('citation embed: title escaped, footer date escaped unless it is a valid date', async () => {
    const { citationEmbed } = await import('../src/discord/reply.js');
    const d = await core();
    await d.ingest({ text: 'Die Fabrik soll rund 100 Drohnen im Monat bauen.', title: '[T](https://evil.example) <@9>', date: '2023-02-24' });
    const a = await d.ask('Wie viele Drohnen baut die Fabrik im Monat?');
    const c = a.citations[0];
    expect(c).toBeDefined();
    const ok = citationEmbed(c);
    expect(ok.footer!.text.startsWith('2023-02-24')).toBe(true);
    noLiveMarkup(ok.title!);
    const old = citationEmbed({ ...c, document: { ...c.document, date: evilDate } });
    noLiveMarkup(old.footer!.text);
  });
});
