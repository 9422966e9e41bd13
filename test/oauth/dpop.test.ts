/**
 * DPoP end to end (RFC 9449): the development AS (its own process) binds a client-credentials
 * token to the key of the proof sent to its token endpoint (cnf.jkt, §5/§6); our server with
 * MCP_DPOP=allowed accepts that token with fresh proofs from the official SDK client, and
 * refuses it as a Bearer token (§7.2).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint } from 'jose';
import { connectWithDpop, dpopKey, dpopProof, type DpopKey } from './dpop-client.js';
import { claimsOf, CREDENTIALS, freePort, spawnDevAs, startInProcess, type Child } from './support.js';

let issuer: string;
let resource: string;
let as: Child;
let key: DpopKey;
beforeAll(async () => {
  resource = `http://127.0.0.1:${await freePort()}/mcp`;
  const dev = await spawnDevAs(resource);
  ({ issuer } = dev);
  as = dev.child;
  key = await dpopKey();
}, 90_000);
afterAll(async () => { await as?.stop(); });

const proof = (method: string, url: string, token?: string) => dpopProof(key, method, url, token);

/** client_credentials for mcp-m2m with a DPoP proof at the token endpoint. */
async function dpopToken(): Promise<{ access_token: string; token_type: string }> {
  const tokenEndpoint = `${issuer}/token`;
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded', dpop: await proof('POST', tokenEndpoint),
      authorization: `Basic ${Buffer.from(`mcp-m2m:${CREDENTIALS.MCP_M2M_CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp:tools', resource }),
  });
  const body = (await res.json()) as { access_token: string; token_type: string };
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The SDK client, signing a fresh proof for every request (htu: the canonical resource URI). */
const connect = (url: string, token: string, scheme: 'DPoP' | 'Bearer') => connectWithDpop(key, url, token, scheme, resource);

describe('DPoP with the development AS', () => {
  it('advertises DPoP in its metadata and binds the token to the proof key (cnf.jkt)', async () => {
    const meta = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(meta.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
    const t = await dpopToken();
    expect(t.token_type).toBe('DPoP');
    expect(claimsOf(t.access_token)).toMatchObject({ aud: resource, client_id: 'mcp-m2m', cnf: { jkt: await calculateJwkThumbprint(key.jwk, 'sha256') } });
  });

  it('MCP_DPOP=allowed: accepted with proofs through the SDK client, refused as Bearer', async () => {
    const server = await startInProcess({ MCP_DPOP: 'allowed' }, resource, issuer);
    try {
      const { access_token: token } = await dpopToken();
      const client = await connect(server.url, token, 'DPoP');
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({ subject: 'mcp-m2m', clientId: 'mcp-m2m' });
      await client.close();
      const asBearer = await fetch(server.url, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
      });
      expect(asBearer.status).toBe(401);
      expect(asBearer.headers.get('www-authenticate')).toMatch(/DPoP [^]*error="invalid_token"[^]*algs="/);
    } finally {
      await server.close();
    }
  });
});
