/** Regression tests for the tester's bug list (fetch timeout, lone surrogates, overrides, cache warning). */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { InputError } from '../src/corpus/types.js';
import { fetchUrl } from '../src/corpus/fetch-url.js';
import { testConfig } from './helpers.js';

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
