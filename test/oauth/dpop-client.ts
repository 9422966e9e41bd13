/**
 * The client side of DPoP (RFC 9449) for tests: a proof key, proofs (§4.2) and the official SDK
 * client with a fetch that signs a fresh proof for every request. Shared by test/oauth/dpop.test.ts
 * (development AS) and test/integration/keycloak.test.ts (Keycloak).
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { accessTokenHash } from '../../services/mcp-server/src/auth/index.js';

/** The client's proof key: ES256 private key and its public JWK (sent in every proof). */
export interface DpopKey { readonly privateKey: CryptoKey; readonly jwk: JWK }

/** A fresh ES256 proof key. */
export async function dpopKey(): Promise<DpopKey> {
  const pair = await generateKeyPair('ES256');
  return { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
}

/** A DPoP proof (RFC 9449 §4.2) for one request; `ath` when an access token goes with it. */
export function dpopProof(key: DpopKey, method: string, url: string, token?: string): Promise<string> {
  const htu = url.split('?')[0]!.split('#')[0]!;
  return new SignJWT({ jti: randomUUID(), htm: method, htu, iat: Math.floor(Date.now() / 1000), ...(token ? { ath: accessTokenHash(token) } : {}) })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk }).sign(key.privateKey);
}

/**
 * A fetch that sends `token` under `scheme` and, for DPoP, a fresh proof per request. `htu` is
 * the canonical resource URI the client addressed (the server under test may listen elsewhere).
 */
export function dpopFetch(key: DpopKey, token: string, scheme: 'DPoP' | 'Bearer', htu: string): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `${scheme} ${token}`);
    if (scheme === 'DPoP') headers.set('dpop', await dpopProof(key, init?.method ?? 'GET', htu, token));
    return fetch(input, { ...init, headers });
  };
}

/** The SDK client connected to `url` through dpopFetch (same arguments). */
export async function connectWithDpop(key: DpopKey, url: string, token: string, scheme: 'DPoP' | 'Bearer', htu: string): Promise<Client> {
  const client = new Client({ name: 'dpop-it', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: dpopFetch(key, token, scheme, htu) }));
  return client;
}
