/**
 * 2025 sessions under real bearer tokens: a session belongs to the principal (issuer + sub)
 * that created it, every request is authenticated again, and a session id presented by
 * anyone else is "not found" (MCP security best practices: session hijacking).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { legacyHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
beforeAll(async () => { h = await startOAuthServer({ env: { MCP_SESSIONS: 'sessions' } }); });
afterAll(async () => { await h?.close(); });

const post = (body: unknown, token: string | undefined, sessionId?: string) => {
  let r = request(h.origin).post('/mcp');
  for (const [k, v] of Object.entries(legacyHeaders('2025-11-25', sessionId))) r = r.set(k, v);
  if (token !== undefined) r = r.set('authorization', `Bearer ${token}`);
  return r.send(JSON.stringify(body));
};
const ping = (token: string | undefined, sessionId: string) => post({ jsonrpc: '2.0', id: 1, method: 'ping' }, token, sessionId);
const NOT_FOUND = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Session not found: initialize a new session' } };

async function initialize(token: string): Promise<string> {
  const r = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }, token);
  expect(r.status).toBe(200);
  const id = r.headers['mcp-session-id'] as string;
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, token, id)).status).toBe(202);
  return id;
}

describe('sessions bound to the token principal', () => {
  it('serves the owner, with any fresh token for the same subject', async () => {
    const id = await initialize(await h.token('alice'));
    const r = await ping(await h.token('alice', { client_id: 'another-app' }), id);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });

  it('answers 404 when another principal presents the session id (POST, GET and DELETE)', async () => {
    const id = await initialize(await h.token('alice'));
    const mallory = await h.token('mallory', { scope: 'mcp:tools mcp:prompts mcp:resources mcp:admin' });
    const stolen = await ping(mallory, id);
    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual(NOT_FOUND);
    const get = await request(h.origin).get('/mcp').set('accept', 'text/event-stream').set('mcp-protocol-version', '2025-11-25')
      .set('mcp-session-id', id).set('authorization', `Bearer ${mallory}`);
    expect(get.status).toBe(404);
    const del = await request(h.origin).delete('/mcp').set('mcp-protocol-version', '2025-11-25')
      .set('mcp-session-id', id).set('authorization', `Bearer ${mallory}`);
    expect(del.status).toBe(404);
    // The session survived the attempts.
    expect((await ping(await h.token('alice'), id)).status).toBe(200);
  });

  it('a session id never stands in for a token: 401 without one, and an invalid token is rejected', async () => {
    const id = await initialize(await h.token('alice'));
    const bare = await ping(undefined, id);
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toBe(`Bearer resource_metadata="${h.origin}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools mcp:prompts mcp:resources"`);
    const now = Math.floor(Date.now() / 1000);
    const expired = await ping(await h.token('alice', { iat: now - 7200, exp: now - 3600 }), id);
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer resource_metadata="[^"]+", error="invalid_token", /);
  });

  it('the owner can end the session; then it is gone for everyone', async () => {
    const id = await initialize(await h.token('alice'));
    const del = await request(h.origin).delete('/mcp').set('mcp-protocol-version', '2025-11-25')
      .set('mcp-session-id', id).set('authorization', `Bearer ${await h.token('alice')}`);
    expect(del.status).toBe(204);
    expect((await ping(await h.token('alice'), id)).status).toBe(404);
  });
});
