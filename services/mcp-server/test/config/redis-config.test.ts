/** REDIS_URL: several replicas need the shared MCP_STATE_SECRET, and the URL's password never reaches a message. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('REDIS_URL', () => {
  it('refuses to start without MCP_STATE_SECRET, saying why', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/MCP_STATE_SECRET.*REDIS_URL is set.*same key/);
  });

  it('accepts it with a state secret', () => {
    const c = loadConfig({ REDIS_URL: 'rediss://:pw@redis:6380/0', MCP_STATE_SECRET: 'x'.repeat(32) });
    expect(c.REDIS_URL).toBe('rediss://:pw@redis:6380/0');
  });

  it('names the variable for a wrong scheme and never shows the URL (it carries a password)', () => {
    let err: unknown;
    try { loadConfig({ REDIS_URL: 'http://:hunter2@redis', MCP_STATE_SECRET: 'x'.repeat(32) }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/REDIS_URL=\[redacted\]: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
