/**
 * Fetching a user-supplied URL safely (SSRF-hardened).
 *
 * - http/https only, no credentials in the URL;
 * - the host name is resolved first (all addresses) and every address is checked against the
 *   non-public ranges below; the connection then goes to exactly those checked addresses (a pinned
 *   `lookup` for node:http/https), so a second DNS answer cannot swap in a private address
 *   (DNS rebinding, time-of-check/time-of-use);
 * - redirects are followed by hand, each hop re-checked (scheme, address), at most `maxRedirects`;
 * - one overall deadline (DNS + connect + all hops + body) via AbortController;
 * - Content-Type allow-list, Content-Length checked up front, the body streamed (and decompressed)
 *   with a hard byte cap.
 *
 * Node's built-in fetch (undici) is not used because Node 20 does not expose undici's Agent (needed
 * to pin the connect address) without adding the undici package; node:http's `lookup` option does
 * the same with no dependency.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { InputError } from './types.js';

/** A resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Options for {@link fetchUrl}. */
export interface FetchUrlOptions {
  /** Deadline for the whole fetch (DNS, connects, redirects, body) in milliseconds. */
  timeoutMs: number;
  /** Largest accepted body in bytes (after decompression). */
  maxBytes: number;
  /** How many redirects may be followed (0 = none). */
  maxRedirects: number;
  /** Allow loopback/private/link-local/… addresses (development and tests only). */
  allowPrivate: boolean;
  /**
   * Addresses or CIDR ranges that are allowed even though they are not public, e.g.
   * ["10.1.2.3", "192.168.50.0/24"] for one intranet server. Default none.
   */
  allowAddresses?: string[];
  /** Host name resolver (default: `dns.lookup` with `all: true`). Injected by tests. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** User-Agent header. */
  userAgent?: string;
}

/** Result of {@link fetchUrl}. */
export interface FetchUrlResult {
  /** The body, decompressed. */
  bytes: Uint8Array;
  /** The Content-Type header of the final response ('' if there was none). */
  contentType: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
}

const DEFAULT_UA = 'dossier/0.1 (+document question answering bot)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Extensions that make an application/octet-stream (or missing) Content-Type acceptable. */
const OCTET_OK_EXT = /\.(?:pdf|txt|text|md|markdown|html?|xhtml)$/i;

/**
 * Fetch a URL and return its body.
 *
 * @throws InputError with reason:
 *   'bad-url' (unparseable, credentials), 'unsupported-scheme' (not http/https, also on redirects),
 *   'dns-failed' (host not found), 'blocked-address' (loopback, private, CGNAT, link-local,
 *   metadata, unspecified, multicast, reserved, IPv4-mapped forms — refused before connecting),
 *   'too-many-redirects', 'fetch-timeout', 'fetch-failed' (connection refused/reset, TLS error),
 *   'http-<status>' (non-2xx, e.g. 'http-404'), 'unsupported-type' (Content-Type not allowed),
 *   'too-large' (Content-Length or streamed body over `maxBytes`).
 */
export async function fetchUrl(url: string, opts: FetchUrlOptions): Promise<FetchUrlResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  const signal = controller.signal;
  let current = parseHttpUrl(url);
  try {
    for (let hop = 0; ; hop++) {
      const addrs = await withAbort(resolveChecked(current, opts), signal, current, opts);
      const res = await withAbort(request(current, addrs, signal, opts), signal, current, opts);
      const status = res.statusCode ?? 0;

      if (REDIRECTS.has(status)) {
        const location = res.headers.location;
        res.destroy();
        if (!location) {
          throw new InputError(`The server at ${current.host} answered with a redirect (HTTP ${status}) but did not say where to.`, `http-${status}`);
        }
        if (hop + 1 > opts.maxRedirects) {
          throw new InputError(
            `Too many redirects: ${displayUrl(url)} redirected more than ${opts.maxRedirects} time${opts.maxRedirects === 1 ? '' : 's'} (possibly a redirect loop).`,
            'too-many-redirects',
          );
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new InputError(`The server at ${current.host} redirected to an invalid address.`, 'bad-url');
        }
        current = checkHttpUrl(next);
        continue;
      }

      if (status < 200 || status > 299) {
        res.destroy();
        const text = http.STATUS_CODES[status] ?? 'Error';
        throw new InputError(`The server answered HTTP ${status} (${text}) for ${displayUrl(current.href)}.`, `http-${status}`);
      }

      const contentType = String(res.headers['content-type'] ?? '').trim();
      if (!allowedType(contentType, current)) {
        res.destroy();
        throw new InputError(
          `The page at ${displayUrl(current.href)} is of type ${contentType.split(';')[0] || 'unknown'}, which I cannot read. ` +
            `Links to web pages, text, Markdown or PDF files work.`,
          'unsupported-type',
        );
      }

      const declared = Number(res.headers['content-length']);
      const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (Number.isFinite(declared) && declared > opts.maxBytes && (encoding === 'identity' || encoding === '')) {
        res.destroy();
        throw tooLarge(opts.maxBytes, declared);
      }
      const bytes = await readCapped(res, encoding, opts.maxBytes, signal, current, opts);
      return { bytes, contentType, finalUrl: current.href };
    }
  } catch (err) {
    throw mapError(err, signal, current, opts);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// URL and address checks

function parseHttpUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new InputError(`That is not a valid web address: "${truncate(raw, 100)}".`, 'bad-url');
  }
  return checkHttpUrl(u);
}

function checkHttpUrl(u: URL): URL {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new InputError(
      `Only http:// and https:// links can be fetched (got ${u.protocol.replace(/:$/, '')}:).`,
      'unsupported-scheme',
    );
  }
  if (u.username || u.password) {
    throw new InputError('Links with a user name or password in them are not accepted.', 'bad-url');
  }
  if (!u.hostname) throw new InputError('That web address has no host name.', 'bad-url');
  return u;
}

/** `URL.hostname` keeps IPv6 brackets; sockets and DNS want them off. */
function bareHost(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

async function defaultResolve(hostname: string): Promise<ResolvedAddress[]> {
  const list = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return list.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

async function resolveChecked(u: URL, opts: FetchUrlOptions): Promise<ResolvedAddress[]> {
  const host = bareHost(u);
  const literal = net.isIP(host);
  let addrs: ResolvedAddress[];
  if (literal) {
    addrs = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addrs = await (opts.resolve ?? defaultResolve)(host);
    } catch {
      throw new InputError(`Could not find the server "${truncate(host, 100)}" (DNS lookup failed).`, 'dns-failed');
    }
    if (addrs.length === 0) {
      throw new InputError(`Could not find the server "${truncate(host, 100)}" (no addresses).`, 'dns-failed');
    }
  }
  if (!opts.allowPrivate) {
    for (const a of addrs) {
      const kind = classifyAddress(a.address);
      if (kind && !inAllowList(a.address, opts.allowAddresses)) {
        const what = literal ? `is a ${kind} address` : `resolves to a ${kind} address`;
        throw new InputError(
          `I won't fetch ${displayUrl(u.href)}: the host ${what}, and only public internet addresses are allowed ` +
            `(an operator can allow private and loopback addresses with ALLOW_PRIVATE_URLS=true).`,
          'blocked-address',
        );
      }
    }
  }
  return addrs;
}

/** Byte form of an IP address (4 or 16 bytes), or null if `ip` is not an IP address. */
export function ipToBytes(ip: string): number[] | null {
  const s = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = net.isIP(s);
  if (kind === 4) return s.split('.').map(Number);
  if (kind !== 6) return null;
  let text = s;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + ((b[0] << 8) | b[1]).toString(16) + ':' + ((b[2] << 8) | b[3]).toString(16);
  }
  const [headS, tailS] = text.split('::');
  const head = headS ? headS.split(':') : [];
  const tail = tailS !== undefined && tailS !== '' ? tailS.split(':') : [];
  const fill = tailS !== undefined ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(fill).fill('0'), ...tail].map((g) => parseInt(g, 16));
  const out: number[] = [];
  for (const g of groups) out.push(g >> 8, g & 0xff);
  return out;
}

interface Range {
  bytes: number[];
  bits: number;
  kind: string;
}

function cidr(spec: string, kind: string): Range {
  const [ip, bits] = spec.split('/');
  return { bytes: ipToBytes(ip)!, bits: Number(bits), kind };
}

/**
 * Non-public IPv4 ranges (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and updates).
 */
const V4_RANGES: Range[] = [
  cidr('0.0.0.0/8', 'unspecified ("this network")'),
  cidr('10.0.0.0/8', 'private network'),
  cidr('100.64.0.0/10', 'carrier-grade NAT'),
  cidr('127.0.0.0/8', 'loopback'),
  cidr('169.254.0.0/16', 'link-local (cloud metadata)'),
  cidr('172.16.0.0/12', 'private network'),
  cidr('192.0.0.0/24', 'reserved'),
  cidr('192.0.2.0/24', 'documentation'),
  cidr('192.88.99.0/24', 'reserved'),
  cidr('192.168.0.0/16', 'private network'),
  cidr('198.18.0.0/15', 'benchmarking'),
  cidr('198.51.100.0/24', 'documentation'),
  cidr('203.0.113.0/24', 'documentation'),
  cidr('224.0.0.0/4', 'multicast'),
  cidr('240.0.0.0/4', 'reserved'),
];

/** Non-public IPv6 ranges (IANA IPv6 Special-Purpose Address Registry). Embedded-IPv4 forms are handled separately. */
const V6_RANGES: Range[] = [
  cidr('::/128', 'unspecified'),
  cidr('::1/128', 'loopback'),
  cidr('64:ff9b:1::/48', 'private network'),
  cidr('100::/64', 'reserved'),
  cidr('2001::/32', 'tunnel (Teredo)'),
  cidr('2001:db8::/32', 'documentation'),
  cidr('fc00::/7', 'private network (unique local)'),
  cidr('fe80::/10', 'link-local'),
  cidr('fec0::/10', 'private network (site-local)'),
  cidr('ff00::/8', 'multicast'),
];

function inRange(b: number[], r: Range): boolean {
  if (b.length !== r.bytes.length) return false;
  let bits = r.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[i] & mask) !== (r.bytes[i] & mask)) return false;
  }
  return true;
}

/**
 * Why an address is not public, or null if it is a public unicast address.
 *
 * IPv6 forms that embed an IPv4 address are judged by that address: IPv4-mapped ::ffff:a.b.c.d,
 * IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16.
 *
 * @returns e.g. 'loopback', 'private network', 'link-local (cloud metadata)'; for input that is
 *   not an IP address at all, 'invalid'.
 */
export function classifyAddress(ip: string): string | null {
  const b = ipToBytes(ip);
  if (!b) return 'invalid';
  if (b.length === 4) return V4_RANGES.find((r) => inRange(b, r))?.kind ?? null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyAddress(v4(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return classifyAddress(v4(12)) ?? 'reserved'; // ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return classifyAddress(v4(12)); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return classifyAddress(v4(2)); // 6to4
  return V6_RANGES.find((r) => inRange(b, r))?.kind ?? null;
}

function inAllowList(ip: string, list: string[] | undefined): boolean {
  if (!list || list.length === 0) return false;
  const b = ipToBytes(ip);
  if (!b) return false;
  return list.some((spec) => {
    const [addr, bitsS] = spec.split('/');
    const rb = ipToBytes(addr);
    if (!rb) return false;
    const bits = bitsS === undefined ? rb.length * 8 : Number(bitsS);
    return inRange(b, { bytes: rb, bits, kind: '' });
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** A `lookup` for node:net that answers with the pre-checked addresses and nothing else. */
function pinnedLookup(addrs: ResolvedAddress[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addrs.filter((a) => a.family === options.family) : addrs;
    if (wanted.length === 0) {
      const err = Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' });
      callback(err as NodeJS.ErrnoException, '', 4);
      return;
    }
    if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
    else callback(null, wanted[0].address, wanted[0].family);
  };
}

function request(u: URL, addrs: ResolvedAddress[], signal: AbortSignal, opts: FetchUrlOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      {
        protocol: u.protocol,
        hostname: bareHost(u),
        port: u.port || undefined,
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        headers: {
          host: u.host,
          'user-agent': opts.userAgent ?? DEFAULT_UA,
          accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,application/pdf;q=0.9,*/*;q=0.1',
          'accept-encoding': 'gzip, deflate, br',
        },
        lookup: pinnedLookup(addrs),
        agent: false,
        signal,
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

function allowedType(contentType: string, u: URL): boolean {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime === '' || mime === 'application/octet-stream' || mime === 'binary/octet-stream') {
    return mime === '' || OCTET_OK_EXT.test(u.pathname);
  }
  return (
    mime.startsWith('text/') ||
    mime === 'application/xhtml+xml' ||
    mime === 'application/pdf' ||
    mime === 'application/x-pdf'
  );
}

async function readCapped(
  res: http.IncomingMessage,
  encoding: string,
  maxBytes: number,
  signal: AbortSignal,
  u: URL,
  opts: FetchUrlOptions,
): Promise<Uint8Array> {
  let stream: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') stream = res.pipe(zlib.createUnzip());
  else if (encoding === 'br') stream = res.pipe(zlib.createBrotliDecompress());
  else if (encoding !== 'identity' && encoding !== '') {
    res.destroy();
    throw new InputError(`The server at ${u.host} sent the page in an encoding I cannot decode (${truncate(encoding, 40)}).`, 'fetch-failed');
  }
  if (stream !== res) res.on('error', (e) => stream.destroy(e));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(buf);
    }
    // A body delimited by the connection closing (no Content-Length, not chunked) ends "normally"
    // when the timeout destroys the socket, so a clean end of the stream proves nothing: after an
    // abort what was read is a truncated page and must not be returned.
    if (signal.aborted) throw timeoutError(u, opts);
  } catch (err) {
    if (signal.aborted) throw timeoutError(u, opts);
    if (err instanceof InputError) throw err;
    throw new InputError(`The download from ${u.host} failed part-way (${describe(err)}).`, 'fetch-failed');
  } finally {
    res.destroy();
    if (stream !== res) stream.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

// ---------------------------------------------------------------------------------------------
// errors

function withAbort<T>(p: Promise<T>, signal: AbortSignal, u: URL, opts: FetchUrlOptions): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(u, opts));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(u, opts));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function timeoutError(u: URL, opts: FetchUrlOptions): InputError {
  return new InputError(
    `The server at ${u.host} did not deliver the page within ${formatMs(opts.timeoutMs)}, so I gave up.`,
    'fetch-timeout',
  );
}

function tooLarge(maxBytes: number, declared?: number): InputError {
  const size = declared !== undefined ? ` (${formatBytes(declared)})` : '';
  return new InputError(`The download is too large${size}; the limit is ${formatBytes(maxBytes)}.`, 'too-large');
}

function mapError(err: unknown, signal: AbortSignal, u: URL, opts: FetchUrlOptions): InputError {
  if (err instanceof InputError) return err;
  if (signal.aborted) return timeoutError(u, opts);
  return new InputError(`Could not download ${displayUrl(u.href)} (${describe(err)}).`, 'fetch-failed');
}

function describe(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    ENOTFOUND: 'host not found',
    EPROTO: 'TLS protocol error',
    HPE_HEADER_OVERFLOW: 'response headers too large',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate does not match the host',
    CERT_HAS_EXPIRED: 'the TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted TLS certificate',
    Z_DATA_ERROR: 'corrupt compressed data',
  };
  if (code && known[code]) return known[code];
  if (code) return code;
  return 'network error';
}

function displayUrl(s: string): string {
  return truncate(s, 120);
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}
