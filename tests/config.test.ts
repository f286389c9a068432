import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { ROOT } from './helpers.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, {});
    expect(c.CHUNK_SENTENCES).toBe(3);
    expect(c.EMBEDDINGS).toBe('auto');
    expect(c.DISCORD_API_BASE).toBe('https://discord.com/api');
    expect(c.ABSTAIN_THRESHOLD).toBeGreaterThan(0);
  });

  it('reads and converts environment values', () => {
    const c = loadConfig({}, { CHUNK_SENTENCES: '4', TRANSLATE: 'no', REGISTER_COMMANDS: 'guild:123456789012345678', MENTIONS: 'yes' });
    expect(c).toMatchObject({ CHUNK_SENTENCES: 4, TRANSLATE: false, REGISTER_COMMANDS: 'guild:123456789012345678', MENTIONS: true });
  });

  it.each([
    [{ CHUNK_SENTENCES: 'abc' }, /CHUNK_SENTENCES: .*\(got "abc"\)/],
    [{ CHUNK_OVERLAP: '3' }, /CHUNK_OVERLAP: must be smaller than CHUNK_SENTENCES \(3\)/],
    [{ ABSTAIN_THRESHOLD: '2' }, /ABSTAIN_THRESHOLD/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRANSLATE: 'maybe' }, /TRANSLATE: expected true\/false, got "maybe"/],
    [{ REGISTER_COMMANDS: 'guild:abc' }, /REGISTER_COMMANDS: must be "global" or "guild:<guild id>"/],
    [{ DISCORD_API_BASE: 'not a url' }, /DISCORD_API_BASE/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError);
    expect(() => loadConfig({}, env)).toThrow(message);
  });

  it.each([
    ['CHUNK_SENTENCES', 'abc', 'must be a whole number from 1 to 20'],
    ['CHUNK_SENTENCES', '2.5', 'must be a whole number from 1 to 20'],
    ['CHUNK_SENTENCES', '', 'must be a whole number from 1 to 20'],
    ['ABSTAIN_THRESHOLD', 'high', 'must be a number from 0 to 1'],
    ['RATE_LIMIT_PER_MINUTE', '-1', 'must be a whole number from 0 to 10000'],
    ['LOG_LEVEL', 'loud', 'must be one of fatal, error, warn, info, debug, trace, silent'],
  ])('%s=%j is refused in plain words', (key, value, message) => {
    expect(() => loadConfig({}, { [key]: value })).toThrow(`${key}: ${message} (got ${JSON.stringify(value)})`);
    expect(() => loadConfig({}, { [key]: value })).not.toThrow(/received|nan|Expected/);
  });

  it('accepts numbers with surrounding blanks and log levels in any case', () => {
    expect(loadConfig({}, { CHUNK_SENTENCES: ' 4 ', LOG_LEVEL: 'WARN' })).toMatchObject({ CHUNK_SENTENCES: 4, LOG_LEVEL: 'warn' });
    expect(loadConfig({ ABSTAIN_THRESHOLD: 0.5 }, {}).ABSTAIN_THRESHOLD).toBe(0.5);
  });

  it('a bad LOG_LEVEL is one configuration message, not a logger stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'list'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'loud', EMBEDDINGS: 'off' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LOG_LEVEL: must be one of');
    expect(r.stderr).not.toMatch(/custom levels|\n\s+at /);
  }, 70_000);
});
