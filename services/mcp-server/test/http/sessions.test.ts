import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { legacyHeaders, openStream } from '../helpers/http.js';
import { assertLegacyResponse } from '../helpers/schema.js';
import { PRINCIPAL_HEADER, startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ sessions: 'sessions' }); });
afterAll(async () => { await s.close(); });

const post = (body: unknown, headers: Record<string, string>) => {
  let r = request(s.origin).post('/mcp');
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  return r.send(JSON.stringify(body));
};

async function initialize(principal = 'alice', capabilities: Record<string, unknown> = {}): Promise<string> {
  const r = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 't', version: '1' } } }, { ...legacyHeaders(), [PRINCIPAL_HEADER]: principal });
  expect(r.status).toBe(200);
  assertLegacyResponse('InitializeResult', r.body);
  const id = r.headers['mcp-session-id'] as string;
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { ...legacyHeaders('2025-11-25', id), [PRINCIPAL_HEADER]: principal });
  return id;
}

const ping = (id: string | undefined, principal = 'alice') => post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { ...legacyHeaders('2025-11-25', id), [PRINCIPAL_HEADER]: principal });

describe('2025 sessions over HTTP', () => {
  it('returns Mcp-Session-Id on initialize and serves requests with it', async () => {
    const id = await initialize();
    const r = await ping(id);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });

  it('answers 400 without a session id and 404 for an unknown one', async () => {
    const missing = await ping(undefined);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/Mcp-Session-Id/);
    const unknown = await ping('A'.repeat(43));
    expect(unknown.status).toBe(404);
  });

  it('ends a session with DELETE (204), after which it is 404', async () => {
    const id = await initialize();
    const del = await request(s.origin).delete('/mcp').set('mcp-session-id', id).set('mcp-protocol-version', '2025-11-25');
    expect(del.status).toBe(204);
    expect((await ping(id)).status).toBe(404);
    expect((await request(s.origin).delete('/mcp').set('mcp-session-id', id)).status).toBe(404);
    expect((await request(s.origin).delete('/mcp')).status).toBe(400);
  });

  it('answers 404 when another principal presents the session id', async () => {
    const id = await initialize('alice');
    expect((await ping(id, 'mallory')).status).toBe(404);
    expect((await request(s.origin).delete('/mcp').set('mcp-session-id', id).set(PRINCIPAL_HEADER, 'mallory')).status).toBe(404);
    expect((await ping(id, 'alice')).status).toBe(200);
  });

  it('delivers list_changed on the GET stream', async () => {
    const id = await initialize();
    const noAccept = await request(s.origin).get('/mcp').set('mcp-session-id', id);
    expect(noAccept.status).toBe(406);
    const stranger = await request(s.origin).get('/mcp').set('accept', 'text/event-stream').set('mcp-session-id', id).set(PRINCIPAL_HEADER, 'mallory');
    expect(stranger.status).toBe(404);
    const st = openStream(s.url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': id } });
    const res = await st.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    // The sink is registered before the 200 goes out, so no message needs to arrive first.
    s.registry.tool({ name: `added_${Date.now()}`, description: 'new', handler: () => 'x' });
    const messages = await st.until((m) => m.some((x) => (x as { method?: string }).method === 'notifications/tools/list_changed'));
    expect(messages).toContainEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: {} });
    // Deleting the session closes its stream.
    await request(s.origin).delete('/mcp').set('mcp-session-id', id);
    await st.ended;
  });

  it('carries a server-to-client request on the POST stream and takes the answer in another POST', async () => {
    const id = await initialize('alice', { elicitation: {} });
    const st = openStream(s.url, { headers: legacyHeaders('2025-11-25', id), body: JSON.stringify({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'ask', arguments: {} } }) });
    const answer = async (index: number, value: string) => {
      const msgs = await st.until((m) => m.filter((x) => (x as { method?: string }).method === 'elicitation/create').length > index);
      const req = msgs.filter((x) => (x as { method?: string }).method === 'elicitation/create')[index] as { id: string };
      expect(req.id).toMatch(/^srv-/);
      // Another principal cannot answer it.
      const stolen = await post({ jsonrpc: '2.0', id: req.id, result: { action: 'accept', content: { value: 'evil' } } }, { ...legacyHeaders('2025-11-25', id), [PRINCIPAL_HEADER]: 'mallory' });
      expect(stolen.status).toBe(404);
      const r = await post({ jsonrpc: '2.0', id: req.id, result: { action: 'accept', content: { value } } }, legacyHeaders('2025-11-25', id));
      expect(r.status).toBe(202);
    };
    await answer(0, 'Dee');
    await answer(1, 'green');
    const all = await st.until((m) => m.some((x) => (x as { id?: string }).id === 'call-1'));
    expect(all.find((x) => (x as { id?: string }).id === 'call-1')).toEqual({ jsonrpc: '2.0', id: 'call-1', result: { content: [{ type: 'text', text: 'Dee likes green' }] } });
  });

  it('stops a cancelled request and sends no response for it (2025 cancellation)', async () => {
    const id = await initialize();
    const st = openStream(s.url, { headers: legacyHeaders('2025-11-25', id), body: JSON.stringify({ jsonrpc: '2.0', id: 'slow-1', method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: { progressToken: 'p' } } }) });
    await s.probe.started;
    // Someone else cannot cancel it: the notification is accepted but names no request of theirs.
    const other = await initialize('mallory');
    await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow-1' } }, { ...legacyHeaders('2025-11-25', other), [PRINCIPAL_HEADER]: 'mallory' });
    expect(s.probe.aborted).toBe(false);
    const cancel = await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow-1', reason: 'user' } }, legacyHeaders('2025-11-25', id));
    expect(cancel.status).toBe(202);
    await s.probe.abortSeen;
    await st.ended;
    // Nothing had streamed yet, so the exchange ends as 204 with no JSON-RPC response in it.
    expect((await st.response).statusCode).toBe(204);
    expect(st.text()).toBe('');
  });
});
