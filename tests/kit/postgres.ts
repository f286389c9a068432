/**
 * A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl` (Debian's postgresql package,
 * /usr/lib/postgresql/<v>/bin) in a temp dir, run as the non-root user `dossierpg` (created with
 * useradd when running as root), listening on 127.0.0.1 only at a free port, trust auth.
 * {@link startPostgres} returns null, after saying so once, when PostgreSQL is not installed;
 * suites then skip (never a mock).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://…/<db> of a fresh, empty database per call. */
  newDatabase(): Promise<string>;
  stop(): void;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let warned = false;

/** Start a cluster (see module doc), or null when PostgreSQL is not installed. */
export async function startPostgres(): Promise<TestPostgres | null> {
  const bin = binDir();
  if (!bin) {
    if (!warned) console.warn('PostgreSQL not found (/usr/lib/postgresql/*/bin/initdb): PostgreSQL suites skipped. Install the postgresql package (scripts/setup.sh).');
    warned = true;
    return null;
  }
  const root = process.getuid?.() === 0;
  const user = root ? 'dossierpg' : os.userInfo().username;
  if (root) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user], { stdio: 'ignore' });
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-pg-'));
  const data = path.join(dir, 'data');
  if (root) execFileSync('chown', [user, dir]);
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', user, '--', path.join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  as('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  as('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
  const base = `postgres://${user}@127.0.0.1:${port}`;
  let n = 0;
  return {
    async newDatabase() {
      const name = `t${process.pid}_${n++}`;
      const c = new pg.Client({ connectionString: `${base}/postgres` });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return `${base}/${name}`;
    },
    stop() {
      try {
        as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
