import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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
});
