/**
 * authFromConfig and startDevAuth: what the environment decides about the challenge, the
 * RFC 9728 document and token exchange, and where the development AS refuses to run.
 */
import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { authFromConfig } from '../../src/bootstrap/auth-from-config.js';
import { startDevAuth } from '../../src/bootstrap/dev-auth.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { RefusedError } from '../../src/http/endpoint-options.js';
import { silentLogger } from '../../src/logging/logger.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const ISSUER = 'https://as.example.com/realms/mcp';
const DECLARED = ['mcp:admin', 'mcp:private', 'mcp:prompts', 'mcp:resources', 'mcp:tools'];
const setup = (env: Record<string, string> = {}) =>
  authFromConfig(loadConfig({ NODE_ENV: 'test', MCP_AUTH_ISSUERS: ISSUER, ...env }), { resource: RESOURCE, issuers: [ISSUER], declaredScopes: DECLARED }, silentLogger);

async function refusalOf(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RefusedError);
  return (e as RefusedError).refusal;
}
const bare = { headers: {}, url: '/mcp' } as IncomingMessage;

describe('authFromConfig', () => {
  it('publishes the declared scopes and asks for the everyday ones in a 401', async () => {
    const a = setup();
    expect(a.metadata).toEqual({
      resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: DECLARED, bearer_methods_supported: ['header'], resource_name: 'MCP Resource Server',
    });
    const r = await refusalOf(a.bearer.authenticate(bare));
    expect(r.status).toBe(401);
    expect(r.headers).toEqual({ 'WWW-Authenticate': 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp:tools mcp:prompts mcp:resources"' });
  });

  it('never challenges for a scope it does not advertise; documentation and name come from the environment', async () => {
    const a = setup({ MCP_SCOPES_SUPPORTED: 'mcp:tools,mcp:admin', MCP_RESOURCE_DOCUMENTATION: 'https://docs.example.com/mcp', MCP_RESOURCE_NAME: 'Weather "MCP"' });
    expect(a.metadata).toEqual({
      resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: ['mcp:tools', 'mcp:admin'], bearer_methods_supported: ['header'],
      resource_name: 'Weather "MCP"', resource_documentation: 'https://docs.example.com/mcp',
    });
    const r = await refusalOf(a.bearer.authenticate(bare));
    expect(r.headers!['WWW-Authenticate']).toBe('Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"');
  });

  it('refuses a token in the query string before looking at the header', async () => {
    const r = await refusalOf(setup().bearer.authenticate({ headers: { authorization: 'Bearer abc' }, url: '/mcp?access_token=abc' } as unknown as IncomingMessage));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_request', error_description: 'The request is malformed' });
  });

  it('offers token exchange only with a client and secret', () => {
    expect(setup().exchangeToken).toBeUndefined();
    expect(setup({ MCP_INTROSPECTION_CLIENT_ID: 'mcp-server', MCP_INTROSPECTION_CLIENT_SECRET: 's3cret' }).exchangeToken).toEqual(expect.any(Function));
    expect(setup({ MCP_TOKEN_EXCHANGE_CLIENT_ID: 'exch', MCP_TOKEN_EXCHANGE_CLIENT_SECRET: 's3cret' }).exchangeToken).toEqual(expect.any(Function));
  });

  it('starts not ready: nothing is fetched until warm-up or the first token', () => {
    expect(setup().verifier.status().state).toBe('not_ready');
  });

  it('refuses a plain-http non-loopback issuer unless explicitly allowed', () => {
    const source = { resource: 'http://mcp.internal/mcp', issuers: ['http://as.internal/realms/mcp'], declaredScopes: DECLARED };
    expect(() => authFromConfig(loadConfig({ NODE_ENV: 'test', MCP_AUTH_ISSUERS: source.issuers[0]! }), source, silentLogger)).toThrow(/https/);
    expect(() => authFromConfig(loadConfig({ NODE_ENV: 'test', MCP_AUTH_ISSUERS: source.issuers[0]!, MCP_ALLOW_INSECURE_HTTP: 'true' }), source, silentLogger)).not.toThrow();
  });
});

describe('startDevAuth', () => {
  it('never runs in production or for a server bound beyond loopback', async () => {
    const dev = loadConfig({ NODE_ENV: 'development' });
    await expect(startDevAuth({ ...dev, NODE_ENV: 'production' }, RESOURCE, DECLARED, silentLogger)).rejects.toThrow(ConfigError);
    await expect(startDevAuth(loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }), RESOURCE, DECLARED, silentLogger)).rejects.toThrow(/loopback/);
  });
});
