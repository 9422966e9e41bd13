/**
 * One pipeline, three ways in: createApp's node:http `handler` (what start-http serves, no
 * Express on the MCP path), its Express `app` on its own, and that app mounted inside an
 * embedding Express app (`outer.use('/prefix', app)`, X-Powered-By left on there). Every
 * security property must hold alike on all three: same status, body and headers for the same
 * request, helmet's header set byte for byte, no-store, the RFC 6750 challenge, Origin/Host
 * refusal, CORS, the body cap, the per-subject limit, 500 on unexpected errors, the request id
 * and one access-log line per request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { AuthError, buildProtectedResourceMetadata, protectedResourceMetadataUrl, type TokenVerifier } from '../../src/auth/index.js';
import { createApp } from '../../src/http/app.js';
import { createBearerAuth } from '../../src/http/bearer-auth.js';
import { HeadResponse } from '../../src/http/response-headers.js';
import { createHelmet, createSecurityHeaders } from '../../src/http/security-headers.js';
import type { Logger } from '../../src/logging/logger.js';
import { localPrincipal } from '../../src/mcp/principal.js';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

const RESOURCE = 'http://localhost:3000/mcp';
// 'listener': createApp's handler on a plain server; 'served': the same on the server the binary
// serves with (HeadResponse: headers as one flat list); 'express': the app; 'mounted': under a prefix.
type Kind = 'listener' | 'served' | 'express' | 'mounted';
interface Mount { kind: Kind; base: string; server: Server; lines: { message: string; fields?: Record<string, unknown> }[] }

// Tokens: `good-<subject>` is valid, `crash` makes verification throw unexpectedly.
const verifier: TokenVerifier = {
  async verify(header) {
    if (header === undefined) throw new AuthError('no_credentials');
    if (header === 'Bearer crash') throw new Error('verifier bug');
    const m = /^Bearer good-(\w+)$/.exec(header);
    if (!m) throw new AuthError('invalid_token', { reason: 'test' });
    return localPrincipal(m[1]!, ['mcp:tools'], 'client');
  },
  status: () => ({ state: 'ready' }) as ReturnType<TokenVerifier['status']>,
  warmUp: async () => ({ state: 'ready' }) as ReturnType<TokenVerifier['status']>,
};

async function start(kind: Kind, engine: TestEngine, draining: () => boolean): Promise<Mount> {
  const lines: Mount['lines'] = [];
  const logger: Logger = {
    debug() {}, warn() {}, info: (message, fields) => { lines.push({ message, fields }); },
    error: (message, fields) => { lines.push({ message, fields }); }, child() { return logger; },
  } as Logger;
  const { app, handler } = createApp({
    engine: engine.engine, maxBodyBytes: 2048, logger, draining,
    auth: {
      bearer: createBearerAuth({ verifier, resourceMetadataUrl: protectedResourceMetadataUrl(RESOURCE), defaultScopes: ['mcp:tools'], logger }),
      metadata: buildProtectedResourceMetadata({ resource: RESOURCE, authorizationServers: ['http://localhost:9400'] }),
    },
    rateLimit: { limit: 3, failedAuthLimit: 1000 },
    origin: { allowedOrigins: ['http://localhost:*'], allowedHosts: ['localhost', '127.0.0.1'] },
  });
  let server: Server;
  if (kind === 'listener') server = createServer(handler);
  else if (kind === 'served') server = createServer({ ServerResponse: HeadResponse }, handler);
  else if (kind === 'express') server = createServer(app);
  else { const outer = express(); outer.use('/prefix', app); server = createServer(outer); }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { kind, server, lines, base: kind === 'mounted' ? `${origin}/prefix` : origin };
}

let engine: TestEngine;
let mounts: Mount[];
let drainingNow = false;
beforeAll(async () => {
  engine = await buildTestEngine();
  mounts = await Promise.all((['listener', 'served', 'express', 'mounted'] as const).map((k) => start(k, engine, () => drainingNow)));
});
afterAll(async () => {
  for (const m of mounts) { m.server.closeAllConnections(); m.server.close(); }
  await engine.close();
});

const call = (m: Mount, headers: Record<string, string>, body: unknown = modernBody('tools/call', { name: 'echo', arguments: { text: 'hi' } })) => {
  const r = request(m.base).post('/mcp').set(modernHeaders('tools/call', 'echo')).set(headers);
  return r.send(typeof body === 'string' ? body : JSON.stringify(body));
};

/** Headers that legitimately differ between two responses (time, fresh ids, seconds left). */
const VARYING = new Set(['date', 'x-request-id', 'ratelimit', 'connection', 'keep-alive']);
function comparable(r: request.Response): unknown {
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !VARYING.has(k)).sort());
  return { status: r.status, headers, body: r.text };
}

const SCENARIOS: [string, (m: Mount) => request.Test][] = [
  ['200 tools/call', (m) => call(m, { authorization: `Bearer good-ok` })],
  ['401 without a token', (m) => call(m, {})],
  ['401 for a rejected token', (m) => call(m, { authorization: 'Bearer nope' })],
  ['403 foreign Origin', (m) => call(m, { authorization: `Bearer good-o`, origin: 'https://evil.example' })],
  ['403 foreign Host', (m) => call(m, { authorization: `Bearer good-h`, host: 'attacker.example' })],
  ['204 CORS preflight', (m) => request(m.base).options('/mcp').set('origin', 'http://localhost:6274').set('access-control-request-method', 'POST')],
  ['CORS on an allowed origin', (m) => call(m, { authorization: `Bearer good-c`, origin: 'http://localhost:6274' })],
  ['405 PUT', (m) => request(m.base).put('/mcp').send('{}')],
  ['413 over the body cap', (m) => call(m, { authorization: `Bearer good-b` }, modernBody('tools/call', { name: 'echo', arguments: { text: 'x'.repeat(4000) } }))],
  ['500 on an unexpected error', (m) => call(m, { authorization: 'Bearer crash' })],
  ['/mcp/ and a query string', (m) => request(m.base).post('/mcp/?x=1').set(modernHeaders('tools/call', 'echo')).set('authorization', `Bearer good-q`).send(JSON.stringify(modernBody('tools/call', { name: 'echo', arguments: { text: 'hi' } })))],
  ['RFC 9728 metadata', (m) => request(m.base).get('/.well-known/oauth-protected-resource/mcp')],
];

describe('the same answers on every mount', () => {
  it.each(SCENARIOS)('%s', async (_name, send) => {
    const answers = [];
    for (const m of mounts) answers.push(comparable(await send(m)));
    for (let i = 1; i < answers.length; i++) expect(answers[i]).toEqual(answers[0]);
  });
});

describe('security properties, per mount', () => {
  const helmetPairs = createSecurityHeaders().pairs;

  it('records exactly the headers helmet sets on a real response', async () => {
    const bare = express().use(createHelmet()).get('/', (_req, res) => { res.end(); });
    const r = await request(bare).get('/');
    const fromHelmet = Object.entries(r.headers).filter(([k]) => !['date', 'connection', 'content-length', 'x-powered-by', 'keep-alive'].includes(k));
    expect(helmetPairs.map(([k, v]) => [k.toLowerCase(), v])).toEqual(fromHelmet);
  });

  it.each(['listener', 'served', 'express', 'mounted'] as const)('%s: helmet set, no-store, challenge, refusals, limits, request id, access log', async (kind) => {
    const m = mounts.find((x) => x.kind === kind)!;
    const ok = await call(m, { authorization: `Bearer good-sec${kind}`, 'x-request-id': `rid-${kind}` });
    expect(ok.status).toBe(200);
    for (const [k, v] of helmetPairs) expect(ok.headers[k.toLowerCase()]).toBe(v);
    expect(ok.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(ok.headers['x-frame-options']).toBe('DENY');
    expect(ok.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['x-powered-by']).toBeUndefined();
    expect(ok.headers['x-request-id']).toBe(`rid-${kind}`);

    const challenge = await call(m, {});
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toMatch(/^Bearer .*resource_metadata="http:\/\/localhost:3000\/\.well-known\/oauth-protected-resource\/mcp"/);
    expect(challenge.headers['cache-control']).toBe('no-store');
    expect((await call(m, { authorization: 'Bearer good-x', origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(m, { authorization: 'Bearer good-x', host: 'evil.example' })).status).toBe(403);
    const pre = await request(m.base).options('/mcp').set('origin', 'http://localhost:6274');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    expect((await call(m, { authorization: 'Bearer good-big' }, 'x'.repeat(3000))).status).toBe(413);

    const who = `Bearer good-limit${kind}`;
    for (let i = 0; i < 3; i++) expect((await call(m, { authorization: who })).headers.ratelimit).toMatch(new RegExp(`^"requests"; r=${2 - i}; t=\\d+$`));
    const limited = await call(m, { authorization: who });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.headers['ratelimit-policy']).toMatch(/^"requests"; q=3; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    expect(limited.headers['cache-control']).toBe('no-store');

    const before = m.lines.filter((l) => l.message === 'unhandled error').length;
    const crash = await call(m, { authorization: 'Bearer crash' });
    expect(crash.status).toBe(500);
    expect(crash.body).toEqual({ error: 'internal_error' });
    expect(crash.headers['cache-control']).toBe('no-store');
    expect(m.lines.filter((l) => l.message === 'unhandled error')).toHaveLength(before + 1);
  });

  it.each(['listener', 'served', 'express', 'mounted'] as const)('%s: one access-log line per request, under the echoed id', async (kind) => {
    const m = mounts.find((x) => x.kind === kind)!;
    const ids = [`log-a-${kind}`, `log-b-${kind}`, `log-c-${kind}`];
    await call(m, { authorization: `Bearer good-log${kind}`, 'x-request-id': ids[0]! });
    await call(m, { 'x-request-id': ids[1]! });
    await request(m.base).get('/healthz').set('x-request-id', ids[2]!);
    await new Promise((r) => setTimeout(r, 20));
    for (const id of ids) expect(m.lines.filter((l) => l.message === 'request' && l.fields?.requestId === id)).toHaveLength(1);
    const lineOf = (id: string) => m.lines.find((l) => l.message === 'request' && l.fields?.requestId === id)!.fields;
    expect(lineOf(ids[0]!)).toMatchObject({ method: 'POST', path: '/mcp', status: 200 });
    expect(lineOf(ids[1]!)).toMatchObject({ method: 'POST', path: '/mcp', status: 401 });
    // Served by Express behind the listener ('served': the finish hook became a listener before
    // the prototype swap). Paths are the app's own, under a mount too.
    expect(lineOf(ids[2]!)).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    for (const id of ids) expect(typeof lineOf(id)!.durationMs).toBe('number');
  });

  it.each(['listener', 'served', 'express', 'mounted'] as const)('%s: /readyz answers 503 draining once a stop began', async (kind) => {
    const m = mounts.find((x) => x.kind === kind)!;
    expect((await request(m.base).get('/readyz')).body).toEqual({ status: 'ready' });
    drainingNow = true;
    try {
      const r = await request(m.base).get('/readyz');
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ status: 'draining' });
    } finally { drainingNow = false; }
  });
});
