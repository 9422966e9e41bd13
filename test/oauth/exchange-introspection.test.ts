/**
 * The other two token paths against the development authorization server running as its own
 * process: RFC 8693 token exchange from inside a tool (ctx.exchangeToken), and RFC 7662
 * introspection mode (MCP_TOKEN_MODE=introspection with the mcp-server client). Our servers
 * run in this process, composed as main.ts composes them, as two replicas of one resource.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { claimsOf, CREDENTIALS, freePort, spawnDevAs, startInProcess, userToken, type Child } from './support.js';

const callDownstream = defineTool({
  name: 'call_downstream',
  description: 'Exchanges the caller token for one addressed to downstream-api (test only: returns it)',
  handler: async (_input, ctx) => {
    const t = await ctx.exchangeToken({ audience: 'downstream-api' });
    return { content: [{ type: 'text' as const, text: JSON.stringify(t) }] };
  },
});

let issuer: string;
let resource: string;
let as: Child;
let bob: string;
beforeAll(async () => {
  resource = `http://127.0.0.1:${await freePort()}/mcp`;
  const dev = await spawnDevAs(resource);
  ({ issuer } = dev);
  as = dev.child;
  bob = await userToken(issuer, resource, 'bob', 'mcp:tools');
}, 90_000);
afterAll(async () => { await as?.stop(); });

async function withClient<T>(url: string, token: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ name: 'it', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try { return await fn(client); } finally { await client.close(); }
}

const post = (url: string, authorization: string) => fetch(url, {
  method: 'POST',
  headers: { authorization, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
});

describe('token exchange (RFC 8693) from a tool', () => {
  it('returns a token for downstream-api with the caller as subject, signed by the AS', async () => {
    const srv = await startInProcess({ MCP_INTROSPECTION_CLIENT_ID: 'mcp-server', MCP_INTROSPECTION_CLIENT_SECRET: CREDENTIALS.MCP_SERVER_CLIENT_SECRET }, resource, issuer, [callDownstream]);
    try {
      const result = await withClient(srv.url, bob, (c) => c.callTool({ name: 'call_downstream', arguments: {} }));
      expect(result.isError).toBeFalsy();
      const exchanged = JSON.parse((result.content as { text: string }[])[0]!.text) as { accessToken: string; tokenType: string };
      expect(exchanged.tokenType.toLowerCase()).toBe('bearer');
      expect(exchanged.accessToken).not.toBe(bob); // never passthrough
      const { payload } = await jwtVerify(exchanged.accessToken, createRemoteJWKSet(new URL(`${issuer}/jwks`)), { issuer, audience: 'downstream-api' });
      expect(payload.aud).toBe('downstream-api');
      expect(payload.sub).toBe(claimsOf(bob).sub);
      expect(payload.sub).toBe('bob');
      expect(payload).toMatchObject({ azp: 'mcp-server', act: { sub: 'mcp-server' } });
      // The exchanged token is not accepted by the MCP resource itself (wrong audience).
      expect((await post(srv.url, `Bearer ${exchanged.accessToken}`)).status).toBe(401);
    } finally {
      await srv.close();
    }
  });

  it('without a configured exchange client the tool gets an error result, not a token', async () => {
    const srv = await startInProcess({}, resource, issuer, [callDownstream]);
    try {
      const result = await withClient(srv.url, bob, (c) => c.callTool({ name: 'call_downstream', arguments: {} }));
      expect(result.isError).toBe(true);
    } finally {
      await srv.close();
    }
  });
});

describe('introspection mode (RFC 7662)', () => {
  it('accepts a valid token and rejects a garbage or tampered one with invalid_token', async () => {
    const srv = await startInProcess({
      MCP_TOKEN_MODE: 'introspection', MCP_INTROSPECTION_CLIENT_ID: 'mcp-server', MCP_INTROSPECTION_CLIENT_SECRET: CREDENTIALS.MCP_SERVER_CLIENT_SECRET,
    }, resource, issuer);
    try {
      const me = await withClient(srv.url, bob, (c) => c.callTool({ name: 'whoami', arguments: {} }));
      expect(me.structuredContent).toMatchObject({ subject: 'bob', clientId: 'mcp-inspector', scopes: ['mcp:tools'] });
      const rmu = `${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp`;
      const sig = bob.lastIndexOf('.') + 10;
      const tampered = `${bob.slice(0, sig)}${bob[sig] === 'A' ? 'B' : 'A'}${bob.slice(sig + 1)}`;
      for (const token of ['garbage-token-0123456789', tampered]) {
        const r = await post(srv.url, `Bearer ${token}`);
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${rmu}", error="invalid_token", error_description="The access token is invalid", scope="mcp:tools mcp:prompts mcp:resources"`);
      }
      expect((await post(srv.url, `Bearer ${bob}`)).status).toBe(200);
    } finally {
      await srv.close();
    }
  });
});
