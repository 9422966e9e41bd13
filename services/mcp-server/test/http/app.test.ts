import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { META } from '../../src/mcp/protocol.js';
import { ACCEPT, legacyHeaders, modernBody, modernHeaders, openStream, parseSse } from '../helpers/http.js';
import { assertModernResponse, assertSchema } from '../helpers/schema.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ maxBodyBytes: 2048 }); });
afterAll(async () => { await s.close(); });

const post = (body: unknown, headers: Record<string, string>) => {
  let r = request(s.origin).post('/mcp');
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  return r.send(typeof body === 'string' ? body : JSON.stringify(body));
};
const modern = (method: string, params: Record<string, unknown> = {}, name?: string, id: string | number = 1) =>
  post(modernBody(method, params, id), modernHeaders(method, name));

describe('POST /mcp content negotiation and limits', () => {
  it('serves a modern tools/call as application/json with a schema-valid result', async () => {
    const r = await modern('tools/call', { name: 'echo', arguments: { text: 'hello' } }, 'echo');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body.result).toMatchObject({ content: [{ type: 'text', text: 'hello' }], resultType: 'complete' });
    assertModernResponse('tools/call', r.body);
  });

  it('answers 415 for a non-JSON content type', async () => {
    const r = await post('{}', { ...modernHeaders('tools/list'), 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe(-32600);
    expect((await post('{}', { ...modernHeaders('tools/list'), 'content-type': 'application/jsonx' })).status).toBe(415);
  });

  it('answers 406 when Accept lacks either type', async () => {
    expect((await post(modernBody('tools/list'), { ...modernHeaders('tools/list'), accept: 'application/json' })).status).toBe(406);
    expect((await post(modernBody('tools/list'), { ...modernHeaders('tools/list'), accept: 'text/event-stream' })).status).toBe(406);
    expect((await post(modernBody('tools/list'), { ...modernHeaders('tools/list'), accept: '*/*' })).status).toBe(200);
  });

  it('answers 413 from Content-Length before reading', async () => {
    const big = JSON.stringify(modernBody('tools/call', { name: 'echo', arguments: { text: 'x'.repeat(4000) } }));
    const r = await post(big, modernHeaders('tools/call', 'echo'));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe(-32600);
  });

  it('answers 413 while a chunked body is still streaming, before it is all sent', async () => {
    const st = openStream(s.url, { headers: { ...modernHeaders('tools/call', 'echo'), 'transfer-encoding': 'chunked' }, keepOpen: true });
    const chunk = 'x'.repeat(1024);
    st.req.write(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${chunk}`);
    st.req.write(chunk);
    st.req.write(chunk);
    const res = await st.response;
    // The client never ended its body: the server answered from what it had seen.
    expect(st.req.writableEnded).toBe(false);
    expect(res.statusCode).toBe(413);
    expect(res.headers.connection).toBe('close');
    await st.ended;
    expect(JSON.parse(st.text()).error.code).toBe(-32600);
    st.req.destroy();
  });

  it('answers 400/-32700 for a body that is not JSON', async () => {
    for (const body of ['{', 'not json', '', '\u0000\u0001']) {
      const r = await post(body, modernHeaders('tools/list'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    }
  });

  it('answers 400/-32600 for invalid message shapes', async () => {
    for (const [body, headers] of [
      [{ jsonrpc: '1.0', id: 1, method: 'tools/list' }, modernHeaders('tools/list')],
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: [] }, modernHeaders('tools/list')],
      [42, modernHeaders('tools/list')],
      [{ jsonrpc: '2.0', id: null, method: 'tools/list' }, legacyHeaders()],
      [{ jsonrpc: '2.0', id: 1 }, legacyHeaders()],
      [{ jsonrpc: '2.0', id: 1, result: {} }, modernHeaders('tools/list')],
    ] as const) {
      const r = await post(body, headers);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(-32600);
    }
  });

  it('answers deeply nested JSON with 400/-32600, not 500', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const big = await startTestServer();
    try {
      const body = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x","extra":${deep}},"_meta":${JSON.stringify((modernBody('x').params as { _meta: unknown })._meta)}}}`;
      const m = await request(big.origin).post('/mcp').set(modernHeaders('tools/call', 'echo')).send(body);
      expect(m.status).toBe(400);
      expect(m.body).toMatchObject({ id: 3, error: { code: -32600, message: expect.stringMatching(/nests deeper/) } });
      const l = await request(big.origin).post('/mcp').set(legacyHeaders()).send(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":${deep}}}`);
      expect(l.status).toBe(400);
      expect(l.body.error.code).toBe(-32600);
    } finally { await big.close(); }
  });

  it('answers batches only for 2025-03-26, and rejects an empty batch', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'b' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ];
    const ok = await post(batch, legacyHeaders('2025-03-26'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'b' }] } },
    ]);
    // A request without MCP-Protocol-Version is 2025-03-26.
    expect((await post(batch, { 'content-type': 'application/json', accept: ACCEPT })).status).toBe(200);
    for (const version of ['2025-06-18', '2025-11-25']) {
      const r = await post(batch, legacyHeaders(version));
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(-32600);
    }
    const empty = await post([], legacyHeaders('2025-03-26'));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/empty batch/);
    expect((await post([modernBody('tools/list')], modernHeaders('tools/list'))).status).toBe(400);
  });

  it('answers notifications with 202 and an empty body', async () => {
    const legacy = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, legacyHeaders());
    expect(legacy.status).toBe(202);
    expect(legacy.text).toBe('');
    const { _meta } = modernBody('x').params as { _meta: unknown };
    const m = await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, _meta } }, modernHeaders('notifications/cancelled'));
    expect(m.status).toBe(202);
    expect(m.text).toBe('');
  });
});

describe('modern header validation', () => {
  it('requires Mcp-Method (400/-32020)', async () => {
    const { 'mcp-method': _omit, ...headers } = modernHeaders('tools/list');
    const r = await post(modernBody('tools/list', {}, 5), headers);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ id: 5, error: { code: -32020 } });
    assertSchema('HeaderMismatchError', r.body);
  });

  it('rejects a mismatched Mcp-Name, plain or base64 sentinel (400/-32020)', async () => {
    const b64 = (v: string) => `=?base64?${Buffer.from(v).toString('base64')}?=`;
    expect((await modern('tools/call', { name: 'echo', arguments: { text: 'x' } }, 'add')).status).toBe(400);
    const bad = await modern('tools/call', { name: 'echo', arguments: { text: 'x' } }, b64('add'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(-32020);
    const good = await modern('tools/call', { name: 'echo', arguments: { text: 'x' } }, b64('echo'));
    expect(good.status).toBe(200);
    const missing = await modern('resources/read', { uri: 'test://readme' });
    expect(missing.body.error.code).toBe(-32020);
  });

  it('rejects a header version that differs from _meta (-32020)', async () => {
    const body = modernBody('tools/list', { _meta: { [META.protocolVersion]: '2025-11-25' } });
    const r = await post(body, modernHeaders('tools/list'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(-32020);
    // A modern-shaped body without any version header.
    const { 'mcp-protocol-version': _v, ...noVersion } = modernHeaders('tools/list');
    const r2 = await post(modernBody('tools/list'), noVersion);
    expect(r2.status).toBe(400);
    expect(r2.body.error.code).toBe(-32020);
  });

  it('rejects an unsupported MCP-Protocol-Version with 400/-32022 listing the supported ones', async () => {
    const r = await post(modernBody('tools/list', {}, 9), { ...modernHeaders('tools/list'), 'mcp-protocol-version': '2024-01-01' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ id: 9, error: { code: -32022, data: { requested: '2024-01-01', supported: expect.arrayContaining(['2026-07-28', '2025-03-26']) } } });
    assertSchema('UnsupportedProtocolVersionError', r.body);
    // An unusable id is not echoed back (found by the HTTP property test).
    for (const id of [1.5, 'i'.repeat(300), { x: 1 }]) {
      const odd = await post({ ...modernBody('tools/list'), id }, { ...modernHeaders('tools/list'), 'mcp-protocol-version': '2024-01-01' });
      expect(odd.body).toMatchObject({ id: null, error: { code: -32022 } });
    }
  });

  it('answers an unknown method with 404/-32601', async () => {
    const r = await modern('tools/explode');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe(-32601);
  });

  it('answers a scoped tool the principal lacks with 403', async () => {
    const r = await modern('tools/call', { name: 'admin_only' }, 'admin_only');
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:admin'] } });
  });
});

describe('stateless GET/DELETE, guards and headers', () => {
  it('answers GET and DELETE with 405 when stateless, and unknown verbs with 405', async () => {
    const g = await request(s.origin).get('/mcp').set('accept', 'text/event-stream');
    expect(g.status).toBe(405);
    expect(g.headers.allow).toBe('POST');
    expect((await request(s.origin).delete('/mcp').set('mcp-session-id', 'x')).status).toBe(405);
    const put = await request(s.origin).put('/mcp').send('{}');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
  });

  it('answers 403 for a foreign Origin and for a non-loopback Host', async () => {
    const o = await modern('tools/list').set('origin', 'https://evil.example');
    expect(o.status).toBe(403);
    expect(o.body.error.message).toMatch(/Origin/);
    const ok = await modern('tools/list').set('origin', 'http://localhost:6274');
    expect(ok.status).toBe(200);
    const h = await modern('tools/list').set('host', 'attacker.example');
    expect(h.status).toBe(403);
    expect(h.body.error.message).toMatch(/Host/);
  });

  it('sets security headers and no-store on /mcp', async () => {
    const r = await modern('tools/list');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-powered-by']).toBeUndefined();
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const health = await request(s.origin).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.headers['x-powered-by']).toBeUndefined();
    const missing = await request(s.origin).get('/nope');
    expect(missing.status).toBe(404);
  });

  it('hides credentials from handlers', async () => {
    await modern('tools/call', { name: 'whoami' }, 'whoami').set('authorization', 'Bearer secret-token').set('cookie', 'sid=1');
    expect(s.probe.lastHeaders).toBeDefined();
    expect(s.probe.lastHeaders).not.toHaveProperty('authorization');
    expect(s.probe.lastHeaders).not.toHaveProperty('cookie');
    expect(s.probe.lastHeaders!['mcp-method']).toBe('tools/call');
  });
});

describe('streaming', () => {
  it('stays plain JSON when the handler emits nothing, upgrades to SSE when it streams', async () => {
    const plain = await modern('tools/call', { name: 'progress' }, 'progress');
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    const streamed = await modern('tools/call', { name: 'progress', _meta: { progressToken: 7 } }, 'progress')
      .buffer(true).parse((res, cb) => { let t = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { t += c; }); res.on('end', () => cb(null, t)); });
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-type']).toBe('text/event-stream');
    expect(streamed.headers['x-accel-buffering']).toBe('no');
    const events = parseSse(streamed.body as string).map((e) => e.data as { method?: string; result?: unknown });
    expect(events.map((e) => e.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'result']);
    assertSchema('ProgressNotification', events[0]);
    assertModernResponse('tools/call', events[2]);
  });

  it('aborts the handler signal when the client disconnects', async () => {
    const st = openStream(s.url, { headers: modernHeaders('tools/call', 'wait'), body: JSON.stringify(modernBody('tools/call', { name: 'wait' })) });
    await s.probe.started;
    expect(s.probe.aborted).toBe(false);
    st.req.destroy();
    await s.probe.abortSeen;
    expect(s.probe.aborted).toBe(true);
  });
});
