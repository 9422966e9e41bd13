/**
 * Quotas over HTTP, each refusal naming its limit. Before: one global cap of 10 000 sessions
 * with LRU eviction, so a handful of principals pushed out another user's live session; any
 * number of GET and subscriptions/listen streams per principal, each open forever; any
 * number of subscriptions and pending server-to-client requests.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { legacyHeaders, modernBody, modernHeaders, openStream, type Stream } from '../helpers/http.js';
import { PRINCIPAL_HEADER, startTestServer, type TestServer } from '../helpers/server.js';
import type { QuotaLimits } from '../../src/http/quotas.js';

let s: TestServer | undefined;
const streams: Stream[] = [];
afterEach(async () => {
  for (const st of streams.splice(0)) st.req.destroy();
  await s?.close(); s = undefined;
});

const start = async (quotas: Partial<QuotaLimits>) => { s = await startTestServer({ sessions: 'sessions', quotas }); return s; };
const post = (body: unknown, headers: Record<string, string>) => request(s!.origin).post('/mcp').set(headers).send(JSON.stringify(body));
const as = (who: string, sid?: string) => ({ ...legacyHeaders('2025-11-25', sid), [PRINCIPAL_HEADER]: who });
const init = (who: string, capabilities: Record<string, unknown> = {}) =>
  post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 't', version: '1' } } }, as(who));
async function session(who: string, capabilities: Record<string, unknown> = {}): Promise<string> {
  const r = await init(who, capabilities);
  expect(r.status).toBe(200);
  const sid = r.headers['mcp-session-id'] as string;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, as(who, sid));
  return sid;
}
const ping = (who: string, sid: string) => post({ jsonrpc: '2.0', id: 1, method: 'ping' }, as(who, sid));
const getStream = (who: string, sid: string) => {
  const st = openStream(s!.url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': sid, [PRINCIPAL_HEADER]: who } });
  streams.push(st);
  return st;
};
const listen = (who: string) => {
  const st = openStream(s!.url, { headers: { ...modernHeaders('subscriptions/listen'), [PRINCIPAL_HEADER]: who }, body: JSON.stringify(modernBody('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'L')) });
  streams.push(st);
  return st;
};
const json = async (st: Stream) => { const res = await st.response; await st.ended; return { status: res.statusCode, body: JSON.parse(st.text()) as { error?: { code: number; message: string; data?: Record<string, unknown> } } }; };

describe('sessions', () => {
  it('a principal over its quota loses its own oldest session, never another principal\'s', async () => {
    await start({ sessionsPerPrincipal: 2 });
    const bob = await session('bob');
    const [a1, a2, a3] = [await session('alice'), await session('alice'), await session('alice')];
    expect((await ping('alice', a1)).status).toBe(404);
    expect((await ping('alice', a2)).status).toBe(200);
    expect((await ping('alice', a3)).status).toBe(200);
    expect((await ping('bob', bob)).status).toBe(200);
  });

  it('a full server refuses initialize with 503 naming MCP_MAX_SESSIONS; live sessions stay', async () => {
    await start({ sessions: 3 });
    const victim = await session('victim');
    await session('m1'); await session('m2');
    const r = await init('m3');
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.headers['mcp-session-id']).toBeUndefined();
    expect(r.body).toMatchObject({ id: 0, error: { code: -32011, data: { code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_SESSIONS', max: 3 } } });
    expect((await ping('victim', victim)).status).toBe(200);
  });

  it('subscriptions per session: the one past the quota is a JSON-RPC error naming the limit', async () => {
    await start({ subscriptionsPerSession: 1 });
    const sid = await session('alice');
    const sub = (uri: string) => post({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri } }, as('alice', sid));
    expect((await sub('test://readme')).body).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    const r = await sub('test://users/1');
    expect(r.body.error).toMatchObject({ code: -32011, data: { limit: 'MCP_MAX_SUBSCRIPTIONS_PER_SESSION', max: 1 } });
    expect(r.body.error.message).toMatch(/unsubscribe/);
  });
});

describe('streams', () => {
  it('GET streams per session: the second is refused with 429 naming the limit', async () => {
    await start({ streamsPerSession: 1 });
    const sid = await session('alice');
    const first = getStream('alice', sid);
    expect((await first.response).statusCode).toBe(200);
    const second = await json(getStream('alice', sid));
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: -32011, data: { limit: 'MCP_MAX_STREAMS_PER_SESSION', max: 1 } });
    // Closing the first frees the slot.
    first.req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect((await getStream('alice', sid).response).statusCode).toBe(200);
  });

  it('streams per principal (GET and listen together): 429 for that principal only, freed on close', async () => {
    await start({ streamsPerPrincipal: 2 });
    const sid = await session('alice');
    expect((await getStream('alice', sid).response).statusCode).toBe(200);
    const l1 = listen('alice');
    await l1.until((m) => m.length >= 1);
    const third = await json(listen('alice'));
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: -32011, data: { code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_STREAMS_PER_PRINCIPAL', max: 2 } });
    const bob = listen('bob');
    await bob.until((m) => m.length >= 1);
    l1.req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await listen('alice').until((m) => m.length >= 1);
  });

  it('streams on the server: 503 naming MCP_MAX_STREAMS', async () => {
    await start({ streams: 1 });
    await listen('alice').until((m) => m.length >= 1);
    const r = await json(listen('bob'));
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ data: { limit: 'MCP_MAX_STREAMS', max: 1 } });
  });

  it('a listen stream ends at its lifetime with the graceful completion result; a GET stream ends too', async () => {
    await start({ streamLifetimeMs: 300 });
    const t0 = Date.now();
    const l = listen('alice');
    const messages = await l.until((m) => m.some((x) => (x as { id?: unknown }).id === 'L'), 3000);
    expect(messages.at(-1)).toMatchObject({ id: 'L', result: { resultType: 'complete' } });
    await l.ended;
    const sid = await session('alice');
    const g = getStream('alice', sid);
    await g.ended;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('pending server-to-client requests', () => {
  it('past the per-principal quota, a tool that asks the client fails with a JSON-RPC error naming the limit', async () => {
    await start({ pendingRequestsPerPrincipal: 1 });
    const sid = await session('alice', { elicitation: {} });
    const call = (id: number) => openStream(s!.url, { headers: as('alice', sid), body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'ask', arguments: {} } }) });
    const first = call(1); streams.push(first);
    await first.until((m) => m.some((x) => (x as { method?: string }).method === 'elicitation/create'));
    const second = call(2); streams.push(second);
    const res = await second.response;
    await second.ended;
    const text = second.text();
    const body = (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : JSON.parse(/data: (.*)/.exec(text)![1]!);
    expect(body.error).toMatchObject({ code: -32011, data: { limit: 'MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL', max: 1 } });
  });
});
