import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../../src/http/app.js';
import type { McpEndpoint } from '../../src/http/mcp-endpoint.js';
import { localPrincipal } from '../../src/mcp/principal.js';
import { MODERN_VERSION } from '../../src/mcp/protocol.js';
import { BASIC_SCOPES, callTool, examples, principal, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('whoami (engine)', () => {
  it('reports the principal: subject, client id and scopes', async () => {
    const r = await callTool(ex, 'whoami', {}, { principal: principal(BASIC_SCOPES, 'bob') });
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toEqual({ subject: 'bob', clientId: 'example-client', scopes: [...BASIC_SCOPES], headers: {} });
  });

  it('leaves out clientId when the principal has none, and works with no scopes at all', async () => {
    const p = { subject: 'svc', scopes: [], claims: {} };
    const r = await callTool(ex, 'whoami', {}, { principal: p });
    expect(r.structuredContent).toEqual({ subject: 'svc', scopes: [], headers: {} });
    // No scope is needed to see it either.
    const list = await ex.call('tools/list', {}, { principal: p });
    // Besides admin_reset_stats, which is listed to everyone (listing 'always') for the step-up demo.
    expect((list.result!.tools as { name: string }[]).map((t) => t.name)).toEqual(['admin_reset_stats', 'whoami']);
  });

  it('echoes only user-agent, x-request-id and mcp-protocol-version', async () => {
    const r = await callTool(ex, 'whoami', {}, {
      headers: { 'user-agent': 'jest/1', 'x-request-id': 'req-1', 'mcp-protocol-version': MODERN_VERSION, 'x-api-key': 'k', 'x-forwarded-for': '10.0.0.1', host: 'example' },
    });
    expect((r.structuredContent as { headers: Record<string, string> }).headers).toEqual({ 'user-agent': 'jest/1', 'x-request-id': 'req-1', 'mcp-protocol-version': MODERN_VERSION });
  });
});

describe('whoami (over HTTP)', () => {
  let http: Server;
  let endpoint: McpEndpoint;
  let url: string;
  beforeAll(async () => {
    const app = createApp({
      engine: ex.server.engine,
      authenticate: () => localPrincipal('carol', ['mcp:tools'], 'web'),
      origin: { allowedOrigins: ['http://127.0.0.1:*'], allowedHosts: ['127.0.0.1'] },
    });
    endpoint = app.endpoint;
    http = app.app.listen(0, '127.0.0.1');
    await once(http, 'listening');
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    void endpoint;
  });

  it('never sees the Authorization, Cookie or Proxy-Authorization headers', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN_VERSION,
        'mcp-method': 'tools/call',
        'mcp-name': 'whoami',
        authorization: 'Bearer secret-token-value',
        cookie: 'session=secret-cookie',
        'proxy-authorization': 'Basic c2VjcmV0',
        'user-agent': 'whoami-test/2.0',
        'x-request-id': 'abc-123',
      },
      body: JSON.stringify({
        jsonrpc: '2.0', id: 1, method: 'tools/call',
        params: { name: 'whoami', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN_VERSION, 'io.modelcontextprotocol/clientCapabilities': {} } },
      }),
    });
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).not.toMatch(/secret/i);
    const body = JSON.parse(raw) as { result: { structuredContent: unknown } };
    expect(body.result.structuredContent).toEqual({
      subject: 'carol', clientId: 'web', scopes: ['mcp:tools'],
      headers: { 'user-agent': 'whoami-test/2.0', 'x-request-id': 'abc-123', 'mcp-protocol-version': MODERN_VERSION },
    });
  });
});
