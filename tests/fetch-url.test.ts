/**
 * fetchUrl against a loopback HTTP server (port 0 on 127.0.0.1): a table of cases, each asserting the
 * outcome or the InputError reason plus a human-readable message. SSRF cases run with
 * allowPrivate: false and must be refused before any connection reaches the server.
 */
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../src/corpus/types.js';
import { classifyAddress, fetchUrl, type FetchUrlOptions, type FetchUrlResult, type ResolvedAddress } from '../src/corpus/fetch-url.js';
import { parseBytes } from '../src/corpus/parse.js';

const ARTICLE = `<!doctype html><html lang="de"><head><title>Bericht</title><script>var s = "SCRIPT_SECRET";</script></head>
<body><article><h1>Bericht</h1><p>${'Die Fabrik soll jährlich 6000 Drohnen bauen. '.repeat(12)}</p>
<p>${'Der Sprengkopf wiegt 35 bis 50 Kilogramm. '.repeat(12)}</p></article></body></html>`;

let server: http.Server;
let base: string;
let port: number;
let connections = 0;
let requests: string[] = [];
const sockets = new Set<net.Socket>();
/** Bytes the /huge handler managed to write before the client hung up. */
let hugeWritten = 0;
let hugeClosedEarly = false;

const HUGE_LIMIT = 64 * 1024 * 1024;

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push(url.pathname);
  switch (url.pathname) {
    case '/text':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Hallo Welt. Grüße aus dem Testserver.');
      return;
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(ARTICLE);
      return;
    case '/gzip':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(Buffer.from('Komprimierter Text.')));
      return;
    case '/gzip-bomb': {
      // 8 MiB of spaces compress to a few KiB: the cap applies to the decompressed size.
      const body = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
      return;
    }
    case '/echo-host':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`host=${req.headers.host}`);
      return;
    case '/slow':
      return; // never answers
    case '/slow-body':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('Anfang … ');
      return; // body never ends
    case '/loop':
      res.writeHead(302, { location: '/loop' });
      res.end();
      return;
    case '/hop': {
      const n = Number(url.searchParams.get('n') ?? 0);
      res.writeHead(301, { location: n > 0 ? `/hop?n=${n - 1}` : '/text' });
      res.end();
      return;
    }
    case '/no-location':
      res.writeHead(302);
      res.end();
      return;
    case '/to-private':
      res.writeHead(302, { location: 'http://10.0.0.1/secret' });
      res.end();
      return;
    case '/to-metadata':
      res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
      return;
    case '/to-file':
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
      return;
    case '/missing':
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not found</h1>');
      return;
    case '/broken':
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('oops');
      return;
    case '/huge': {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked, no Content-Length
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      hugeWritten = 0;
      hugeClosedEarly = false;
      res.on('close', () => {
        hugeClosedEarly = hugeWritten < HUGE_LIMIT;
      });
      const pump = () => {
        while (!res.destroyed && hugeWritten < HUGE_LIMIT) {
          hugeWritten += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    case '/declared-huge':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(50 * 1024 * 1024) });
      res.write('a'.repeat(100)); // and then nothing
      return;
    case '/image':
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      return;
    case '/octet':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('bytes');
      return;
    case '/doc.pdf':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('%PDF-1.4 not really');
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = http.createServer(handler);
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  connections = 0;
  requests = [];
});

/** A user-facing message: a sentence, no programmer noise. */
function expectHumanMessage(msg: string): void {
  expect(msg.length).toBeGreaterThan(15);
  expect(msg.length).toBeLessThan(400);
  expect(msg).toMatch(/^[A-Z0-9"]/);
  expect(msg).toMatch(/[.)!?]$/);
  expect(msg).not.toMatch(/undefined|null|NaN|\[object|TypeError|Error:|\bat \S+ \(|\.[cm]?[jt]s:\d+|ERR_|\bE[A-Z]{4,}/);
}

const OPEN: FetchUrlOptions = { timeoutMs: 5000, maxBytes: 1024 * 1024, maxRedirects: 3, allowPrivate: true };
const CLOSED: FetchUrlOptions = { ...OPEN, allowPrivate: false };

interface Case {
  name: string;
  url: () => string;
  opts?: Partial<FetchUrlOptions>;
  reason?: string;
  message?: RegExp;
  /** For refusals: the server must not have seen a connection. */
  noConnection?: boolean;
  check?: (r: FetchUrlResult) => void | Promise<void>;
}

/** A resolver that knows a few test names and nothing else. */
const fakeResolve = (table: Record<string, ResolvedAddress[]>) => async (host: string) => {
  const hit = table[host];
  if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return hit;
};

const cases: Case[] = [
  // --- good responses
  {
    name: '200 text/plain',
    url: () => `${base}/text`,
    check: (r) => {
      expect(new TextDecoder().decode(r.bytes)).toBe('Hallo Welt. Grüße aus dem Testserver.');
      expect(r.contentType).toBe('text/plain; charset=utf-8');
      expect(r.finalUrl).toBe(`${base}/text`);
    },
  },
  {
    name: '200 text/html, parsed to main text',
    url: () => `${base}/html`,
    check: async (r) => {
      const d = await parseBytes(r.bytes, { contentType: r.contentType, maxBytes: OPEN.maxBytes, source: r.finalUrl });
      expect(d.title).toBe('Bericht');
      expect(d.source).toBe(`${base}/html`);
      expect(d.language).toBe('de');
      expect(d.text).toContain('Die Fabrik soll jährlich 6000 Drohnen bauen.');
      expect(d.text).not.toContain('SCRIPT_SECRET');
    },
  },
  {
    name: 'gzip-encoded body is decompressed',
    url: () => `${base}/gzip`,
    check: (r) => expect(new TextDecoder().decode(r.bytes)).toBe('Komprimierter Text.'),
  },
  {
    name: 'redirects within the limit are followed (finalUrl updated)',
    url: () => `${base}/hop?n=2`,
    check: (r) => {
      expect(r.finalUrl).toBe(`${base}/text`);
      expect(requests).toEqual(['/hop', '/hop', '/hop', '/text']);
    },
  },
  {
    name: 'application/octet-stream accepted for a .pdf path',
    url: () => `${base}/doc.pdf`,
    check: (r) => expect(new TextDecoder().decode(r.bytes)).toMatch(/^%PDF/),
  },
  {
    name: 'connects to the resolved address, not a re-resolved one (Host header kept)',
    url: () => `http://rebind.test:${port}/echo-host`,
    opts: { resolve: fakeResolve({ 'rebind.test': [{ address: '127.0.0.1', family: 4 }] }) },
    check: (r) => expect(new TextDecoder().decode(r.bytes)).toBe(`host=rebind.test:${port}`),
  },
  // --- failures
  { name: 'timeout before the response', url: () => `${base}/slow`, opts: { timeoutMs: 300 }, reason: 'fetch-timeout' },
  { name: 'timeout while the body trickles', url: () => `${base}/slow-body`, opts: { timeoutMs: 300 }, reason: 'fetch-timeout' },
  { name: 'redirect loop', url: () => `${base}/loop`, reason: 'too-many-redirects', message: /more than 3 times/ },
  { name: 'one redirect too many', url: () => `${base}/hop?n=3`, reason: 'too-many-redirects' },
  { name: 'redirect without Location', url: () => `${base}/no-location`, reason: 'http-302' },
  { name: '404', url: () => `${base}/missing`, reason: 'http-404', message: /404 \(Not Found\)/ },
  { name: '500', url: () => `${base}/broken`, reason: 'http-500', message: /500/ },
  {
    name: 'huge streamed body is aborted at the cap',
    url: () => `${base}/huge`,
    opts: { maxBytes: 256 * 1024 },
    reason: 'too-large',
  },
  { name: 'Content-Length over the cap is refused up front', url: () => `${base}/declared-huge`, reason: 'too-large', message: /50\.0 MiB/ },
  { name: 'gzip bomb: the cap applies after decompression', url: () => `${base}/gzip-bomb`, reason: 'too-large' },
  { name: 'unsupported content type', url: () => `${base}/image`, reason: 'unsupported-type', message: /image\/png/ },
  { name: 'application/octet-stream without a document extension', url: () => `${base}/octet`, reason: 'unsupported-type' },
  { name: 'redirect to a non-http scheme', url: () => `${base}/to-file`, reason: 'unsupported-scheme' },
  {
    name: 'DNS failure',
    url: () => 'http://nowhere.test/',
    opts: { resolve: fakeResolve({}) },
    reason: 'dns-failed',
  },
  { name: 'connection refused', url: () => 'http://127.0.0.1:1/', reason: 'fetch-failed', message: /connection refused/ },
  // --- scheme and URL checks
  { name: 'non-http scheme: ftp', url: () => 'ftp://example.org/file.txt', opts: CLOSED, reason: 'unsupported-scheme', noConnection: true },
  { name: 'non-http scheme: file', url: () => 'file:///etc/passwd', opts: CLOSED, reason: 'unsupported-scheme', noConnection: true },
  { name: 'non-http scheme: javascript', url: () => 'javascript:alert(1)', opts: CLOSED, reason: 'unsupported-scheme', noConnection: true },
  { name: 'non-http scheme: data', url: () => 'data:text/plain,hallo', opts: CLOSED, reason: 'unsupported-scheme', noConnection: true },
  { name: 'not a URL', url: () => 'bitte diese Seite', opts: CLOSED, reason: 'bad-url', noConnection: true },
  { name: 'credentials in the URL', url: () => `http://user:pw@127.0.0.1:${port}/text`, reason: 'bad-url', noConnection: true },
  // --- SSRF: refused before any connection (allowPrivate: false)
  { name: 'private: 127.0.0.1', url: () => `http://127.0.0.1:${port}/text`, opts: CLOSED, reason: 'blocked-address', message: /loopback/, noConnection: true },
  { name: 'private: localhost', url: () => `http://localhost:${port}/text`, opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: 10.x', url: () => 'http://10.0.0.1/', opts: CLOSED, reason: 'blocked-address', message: /private network/, noConnection: true },
  { name: 'private: 172.16/12', url: () => 'http://172.31.255.1/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: 192.168/16', url: () => 'http://192.168.1.1/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: CGNAT 100.64/10', url: () => 'http://100.100.1.1/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'metadata: 169.254.169.254', url: () => 'http://169.254.169.254/latest/meta-data/', opts: CLOSED, reason: 'blocked-address', message: /link-local/, noConnection: true },
  { name: 'private: [::1]', url: () => `http://[::1]:${port}/text`, opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: [::ffff:127.0.0.1]', url: () => `http://[::ffff:127.0.0.1]:${port}/text`, opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: [::ffff:a9fe:a9fe] (mapped metadata, hex form)', url: () => 'http://[::ffff:a9fe:a9fe]/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: [fd00::1] unique local', url: () => 'http://[fd00::1]/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'private: [fe80::1] link-local', url: () => 'http://[fe80::1]/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'unspecified: 0.0.0.0', url: () => `http://0.0.0.0:${port}/text`, opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'decimal IPv4 2130706433 (= 127.0.0.1)', url: () => `http://2130706433:${port}/text`, opts: CLOSED, reason: 'blocked-address', noConnection: true },
  { name: 'multicast: 224.0.0.1', url: () => 'http://224.0.0.1/', opts: CLOSED, reason: 'blocked-address', noConnection: true },
  {
    name: 'host name resolving to a private address',
    url: () => `http://intranet.test:${port}/text`,
    opts: { ...CLOSED, resolve: fakeResolve({ 'intranet.test': [{ address: '10.1.2.3', family: 4 }] }) },
    reason: 'blocked-address',
    message: /resolves to a private network address/,
    noConnection: true,
  },
  {
    name: 'host name with one public and one loopback address',
    url: () => `http://mixed.test:${port}/text`,
    opts: { ...CLOSED, resolve: fakeResolve({ 'mixed.test': [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] }) },
    reason: 'blocked-address',
    noConnection: true,
  },
  {
    name: 'each redirect hop is re-checked: allowed server redirects to 10.x',
    url: () => `${base}/to-private`,
    opts: { ...CLOSED, allowAddresses: ['127.0.0.1'] },
    reason: 'blocked-address',
    check: () => undefined,
  },
  {
    name: 'each redirect hop is re-checked: allowed server redirects to the metadata address',
    url: () => `${base}/to-metadata`,
    opts: { ...CLOSED, allowAddresses: ['127.0.0.0/8'] },
    reason: 'blocked-address',
  },
];

describe('fetchUrl (table, loopback server)', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const c of cases) {
    it(c.name, async () => {
      const opts = { ...OPEN, ...c.opts };
      if (c.reason) {
        const err = await fetchUrl(c.url(), opts).then(
          (r) => new Error(`expected InputError '${c.reason}', got ${r.contentType} from ${r.finalUrl}`),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).reason).toBe(c.reason);
        expectHumanMessage((err as InputError).message);
        if (c.message) expect((err as InputError).message).toMatch(c.message);
        if (c.noConnection) {
          expect(connections).toBe(0);
          expect(requests).toEqual([]);
        }
      } else {
        const r = await fetchUrl(c.url(), opts);
        await c.check?.(r);
      }
    });
  }

  it('redirect re-check: only the first hop reached the server', async () => {
    await expect(fetchUrl(`${base}/to-private`, { ...CLOSED, allowAddresses: ['127.0.0.1'] })).rejects.toMatchObject({
      reason: 'blocked-address',
    });
    expect(requests).toEqual(['/to-private']);
  });

  it('huge body: the server was cut off long before it finished', async () => {
    await expect(fetchUrl(`${base}/huge`, { ...OPEN, maxBytes: 256 * 1024 })).rejects.toMatchObject({ reason: 'too-large' });
    await new Promise((r) => setTimeout(r, 100)); // let the server notice the closed socket
    expect(hugeClosedEarly).toBe(true);
    expect(hugeWritten).toBeLessThan(HUGE_LIMIT);
  });

  it('resolves each host once per hop', async () => {
    const calls: string[] = [];
    const resolve = async (h: string) => {
      calls.push(h);
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    await fetchUrl(`http://a.test:${port}/text`, { ...OPEN, resolve });
    expect(calls).toEqual(['a.test']);
  });
});

describe('classifyAddress', () => {
  const table: Array<[string, string | null]> = [
    ['8.8.8.8', null],
    ['93.184.216.34', null],
    ['2606:4700:4700::1111', null],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.255.0.1', 'private network'],
    ['172.15.0.1', null],
    ['172.16.0.1', 'private network'],
    ['172.32.0.1', null],
    ['100.63.255.255', null],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:8.8.8.8', null],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata)'],
    ['2002:0a00:0001::1', 'private network'],
    ['fc00::1', 'private network (unique local)'],
    ['fdff:ffff::1', 'private network (unique local)'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['not-an-ip', 'invalid'],
  ];
  for (const [ip, kind] of table) it(`${ip} → ${kind}`, () => expect(classifyAddress(ip)).toBe(kind));
});
