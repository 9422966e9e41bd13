/**
 * DPoP end to end (RFC 9449): the development AS (its own process) binds a client-credentials
 * token to the key of the proof sent to its token endpoint (cnf.jkt, §5/§6); our server with
 * MCP_DPOP=allowed accepts that token with fresh proofs from the official SDK client, and
 * refuses it as a Bearer token (§7.2).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { accessTokenHash } from '../../services/mcp-server/src/auth/index.js';
import { claimsOf, CREDENTIALS, freePort, spawnDevAs, startInProcess, type Child } from './support.js';

let issuer: string;
let resource: string;
let as: Child;
let key: { privateKey: CryptoKey; jwk: JWK };
beforeAll(async () => {
  resource = `http://127.0.0.1:${await freePort()}/mcp`;
  const dev = await spawnDevAs(resource);
  ({ issuer } = dev);
  as = dev.child;
  const pair = await generateKeyPair('ES256');
  key = { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
}, 90_000);
afterAll(async () => { await as?.stop(); });

/** A DPoP proof (RFC 9449 §4.2) for one request; `ath` when an access token goes with it. */
function proof(method: string, url: string, token?: string): Promise<string> {
  const htu = url.split('?')[0]!.split('#')[0]!;
  return new SignJWT({ jti: randomUUID(), htm: method, htu, iat: Math.floor(Date.now() / 1000), ...(token ? { ath: accessTokenHash(token) } : {}) })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk }).sign(key.privateKey);
}

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

/** The SDK client, with a fetch that signs a fresh proof for every request it sends. */
async function connect(url: string, token: string, scheme: 'DPoP' | 'Bearer'): Promise<Client> {
  const dpopFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `${scheme} ${token}`);
    // htu is the canonical resource URI the client addressed (our server listens elsewhere).
    if (scheme === 'DPoP') headers.set('dpop', await proof(init?.method ?? 'GET', resource, token));
    return fetch(input, { ...init, headers });
  };
  const client = new Client({ name: 'dpop-it', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: dpopFetch }));
  return client;
}

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
