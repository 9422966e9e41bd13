/**
 * CORS on /mcp for allowlisted browser origins (MCP Inspector on :6274), refusal for every
 * other origin, and the headers a browser client needs to read (WWW-Authenticate for the
 * OAuth challenge, Mcp-Session-Id, rate-limit headers).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
beforeAll(async () => { h = await startOAuthServer(); }); // MCP_ALLOWED_ORIGINS=http://localhost:6274
afterAll(async () => { await h?.close(); });

const ALLOWED = 'http://localhost:6274';
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID, X-Request-Id, DPoP';
const EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, DPoP-Nonce';
const FORBIDDEN = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Forbidden: Origin not allowed' } };

const preflight = (origin: string) => request(h.origin).options('/mcp').set('origin', origin)
  .set('access-control-request-method', 'POST').set('access-control-request-headers', 'authorization, content-type, mcp-protocol-version');

describe('CORS on /mcp', () => {
  it('answers the preflight of an allowlisted origin without a token, with the exact allow/expose headers', async () => {
    const r = await preflight(ALLOWED);
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(r.headers.vary).toBe('Origin');
    expect(r.headers['access-control-allow-methods']).toBe('GET, POST, DELETE, OPTIONS');
    expect(r.headers['access-control-allow-headers']).toBe(ALLOW_HEADERS);
    expect(r.headers['access-control-expose-headers']).toBe(EXPOSE_HEADERS);
    expect(r.headers['access-control-max-age']).toBe('600');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('lets the allowed browser read the 401 challenge', async () => {
    const r = await request(h.origin).post('/mcp').set('origin', ALLOWED).set(modernHeaders('tools/list'))
      .send(JSON.stringify(modernBody('tools/list')));
    expect(r.status).toBe(401);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(r.headers['access-control-expose-headers']).toBe(EXPOSE_HEADERS);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer resource_metadata="/);
  });

  it('serves the allowed browser with a token', async () => {
    const r = await request(h.origin).post('/mcp').set('origin', ALLOWED).set(modernHeaders('tools/list'))
      .set('authorization', `Bearer ${await h.token('alice')}`).send(JSON.stringify(modernBody('tools/list')));
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('refuses other origins with 403, preflight or not, token or not, and reflects nothing', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:6275', 'null', 'http://localhost:6274.evil.example', 'https://localhost:6274']) {
      const pre = await preflight(origin);
      expect({ origin, status: pre.status }).toEqual({ origin, status: 403 });
      expect(pre.body).toEqual(FORBIDDEN);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.headers['access-control-allow-methods']).toBeUndefined();
      const post = await request(h.origin).post('/mcp').set('origin', origin).set(modernHeaders('tools/list'))
        .set('authorization', `Bearer ${await h.token('alice')}`).send(JSON.stringify(modernBody('tools/list')));
      expect({ origin, status: post.status }).toEqual({ origin, status: 403 });
      expect(post.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    const r = await request(h.origin).post('/mcp').set('host', 'attacker.example').set(modernHeaders('tools/list'))
      .set('authorization', `Bearer ${await h.token('alice')}`).send(JSON.stringify(modernBody('tools/list')));
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('Forbidden: Host not allowed');
  });
});
