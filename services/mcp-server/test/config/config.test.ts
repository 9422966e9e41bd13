import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { DEFAULT_QUOTAS, quotasFromConfig } from '../../src/http/quotas.js';

function errorOf(env: Record<string, string>): ConfigError {
  try { loadConfig(env); } catch (e) { if (e instanceof ConfigError) return e; throw e; }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults to an empty environment and freezes the result', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development', HOST: '127.0.0.1', PORT: 3000, MCP_PATH: '/mcp', MCP_SESSIONS: 'stateless',
      MCP_MAX_BODY_BYTES: 4 * 1024 * 1024, MCP_PAGE_SIZE: 100, MCP_TRUST_PROXY: false,
      MCP_LOCAL_SUBJECT: 'local-user', MCP_LOCAL_SCOPES: ['mcp:tools', 'mcp:prompts', 'mcp:resources'], LOG_LEVEL: 'info',
    });
    expect(c.MCP_ALLOWED_ORIGINS).toBeUndefined();
    expect(c.MCP_STATE_SECRET).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('quota and HTTP-limit defaults equal the library defaults; a bad one names its variable', () => {
    const c = loadConfig({});
    expect(quotasFromConfig(c)).toEqual(DEFAULT_QUOTAS);
    expect(c).toMatchObject({
      MCP_HEADERS_TIMEOUT_MS: 20_000, MCP_REQUEST_TIMEOUT_MS: 60_000, MCP_KEEP_ALIVE_TIMEOUT_MS: 5_000, MCP_MAX_CONNECTIONS: 1024,
      MCP_RATE_LIMIT_FAILED_AUTH_MAX: 30, MCP_AUTH_FAILURE_DELAY_MS: 1000,
    });
    expect(c.MCP_AUTH_SCP_ISSUERS).toBeUndefined();
    const e = errorOf({ MCP_MAX_STREAMS_PER_PRINCIPAL: '0', MCP_REQUEST_TIMEOUT_MS: 'soon' });
    expect(e.message).toMatch(/MCP_MAX_STREAMS_PER_PRINCIPAL="0": .*long-lived streams per principal/);
    expect(e.message).toMatch(/MCP_REQUEST_TIMEOUT_MS="soon"/);
  });

  it('parses lists, numbers and booleans', () => {
    const c = loadConfig({
      PORT: '0', MCP_ALLOWED_ORIGINS: 'http://a.example, http://b.example', MCP_ALLOWED_HOSTS: 'a b,,c',
      MCP_TRUST_PROXY: '2', MCP_LOCAL_SCOPES: 'x y', MCP_SESSIONS: 'sessions', MCP_STATE_SECRET: 's'.repeat(32),
    });
    expect(c).toMatchObject({ PORT: 0, MCP_ALLOWED_ORIGINS: ['http://a.example', 'http://b.example'], MCP_ALLOWED_HOSTS: ['a', 'b', 'c'], MCP_TRUST_PROXY: 2, MCP_LOCAL_SCOPES: ['x', 'y'], MCP_SESSIONS: 'sessions' });
    expect(loadConfig({ MCP_TRUST_PROXY: 'true' }).MCP_TRUST_PROXY).toBe(true);
    expect(loadConfig({ MCP_TRUST_PROXY: '0' }).MCP_TRUST_PROXY).toBe(false);
  });

  const INVALID: [string, string][] = [
    ['NODE_ENV', 'staging'],
    ['HOST', 'my host'],
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['MCP_PATH', 'mcp'],
    ['MCP_PATH', '/mcp?x=1'],
    ['MCP_SESSIONS', 'sticky'],
    ['MCP_MAX_BODY_BYTES', '10'],
    ['MCP_PAGE_SIZE', '0'],
    ['MCP_PAGE_SIZE', '1.5'],
    ['MCP_TRUST_PROXY', 'yes'],
    ['MCP_TOKEN_MODE', 'opaque'],
    ['LOG_LEVEL', 'verbose'],
  ];

  it.each(INVALID)('names %s=%j in the message', (key, value) => {
    const e = errorOf({ [key]: value });
    expect(e.name).toBe('ConfigError');
    expect(e.message).toMatch(/^Invalid configuration; fix these environment variables/);
    expect(e.message).toContain(`${key}=${JSON.stringify(value)}`);
  });

  it('treats empty assignments from a copied .env as unset', () => {
    const c = loadConfig({ MCP_STATE_SECRET: '', MCP_AUTH_ISSUERS: '', PORT: '', HOST: '', MCP_LOCAL_SUBJECT: '' });
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.MCP_LOCAL_SUBJECT).toBe('local-user');
    expect(c.MCP_STATE_SECRET).toBeUndefined();
    expect(c.MCP_AUTH_ISSUERS).toBeUndefined();
    expect(c.PORT).toBe(3000);
  });

  it('loads .env.example as a user would copy it', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const c = loadConfig(env);
    expect(c.MCP_RESOURCE_URI).toBe('http://localhost:3000/mcp');
    expect(c.MCP_DEV_AUTH).toBe(true);
  });

  it('lists every invalid variable at once, with hints', () => {
    const env = Object.fromEntries(INVALID.filter(([k], i, all) => all.findIndex(([k2]) => k2 === k) === i));
    const e = errorOf(env);
    for (const key of Object.keys(env)) expect(e.message).toContain(`  ${key}=`);
    expect(e.message).toContain('(expected TCP port, 0 for any free port)');
    expect(e.message).toContain('must be a path such as /mcp');
  });

  it('never echoes a rejected secret', () => {
    const secret = 'too-short-but-still-a-real-secret';
    const e = errorOf({ MCP_STATE_SECRET: secret.slice(0, 31) });
    expect(e.message).toContain('MCP_STATE_SECRET');
    expect(e.message).toContain('at least 32 characters');
    expect(e.message).not.toContain(secret.slice(0, 31));
  });
});
