/**
 * A loopback HTTP server that plays the Hugging Face hub for transformers.js:
 * `GET|HEAD /{model id}/resolve/{revision}/{file}` serves `<folder of that model>/{file}`.
 * Point transformers.js at it with MODEL_REMOTE_HOST = `hub.url` (env.remoteHost).
 * Listens on 127.0.0.1, port 0 (random). Counts every request.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FakeHub {
  /** Base URL ending in "/", e.g. "http://127.0.0.1:40123/". */
  url: string;
  /** Every request as "METHOD /path" with its status, in arrival order. */
  requests: { method: string; path: string; status: number }[];
  /** Requests answered 200. */
  readonly served: number;
  stop(): Promise<void>;
}

/**
 * Start a fake hub.
 * @param models model id (e.g. "test/tiny") → folder laid out like the hub's repository.
 */
export async function startFakeHub(models: Record<string, string>): Promise<FakeHub> {
  const requests: FakeHub['requests'] = [];
  const server = http.createServer((req, res) => {
    const reply = (status: number, body?: Buffer | string, headers: Record<string, string | number> = {}) => {
      requests.push({ method: req.method ?? '?', path: req.url ?? '', status });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(urlPath);
    const folder = m ? models[m[1]] : undefined;
    if (!m || !folder || (req.method !== 'GET' && req.method !== 'HEAD')) return reply(404, 'Entry not found');
    const file = path.resolve(folder, m[3]);
    if (!file.startsWith(path.resolve(folder) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return reply(404, 'Entry not found');
    }
    const body = fs.readFileSync(file);
    reply(200, body, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    get served() {
      return requests.filter((r) => r.status === 200).length;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL on which nothing listens (connections are refused). */
export async function refusingUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
