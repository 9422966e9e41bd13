import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { JsonRpcNotification } from '../../src/mcp/protocol.js';
import { META } from '../../src/mcp/protocol.js';
import { call, fakeExchange, modernRequest, type FakeExchange, type Parsed } from '../helpers/exchange.js';
import { assertModernResponse, assertSchema } from '../helpers/schema.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

let t: TestEngine;
beforeEach(async () => { t = await buildTestEngine(); });
afterEach(async () => { await t.close(); });

interface Listening { ex: FakeExchange; reply: Promise<Parsed>; acked: Promise<JsonRpcNotification> }

function listen(id: string | number, notifications: Record<string, unknown>): Listening {
  let ack!: (n: JsonRpcNotification) => void;
  const acked = new Promise<JsonRpcNotification>((r) => { ack = r; });
  const ex = fakeExchange({ onNotify: (n) => { if (n.method === 'notifications/subscriptions/acknowledged') ack(n); } });
  const reply = call(t.engine, modernRequest('subscriptions/listen', { notifications }, { id }), ex);
  return { ex, reply, acked };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('subscriptions/listen', () => {
  it('acknowledges first, delivers only opted-in changes tagged with the id, and ends on abort', async () => {
    const tools = listen('sub-tools', { toolsListChanged: true, promptsListChanged: false, bogus: true });
    const prompts = listen(7, { promptsListChanged: true, resourceSubscriptions: ['test://readme'] });
    const ackTools = await tools.acked;
    await prompts.acked;
    expect(tools.ex.sent[0]).toBe(ackTools);
    expect(ackTools.params).toEqual({ _meta: { [META.subscriptionId]: 'sub-tools' }, notifications: { toolsListChanged: true } });
    assertSchema('SubscriptionsAcknowledgedNotification', ackTools);
    expect(prompts.ex.sent[0].params).toEqual({ _meta: { [META.subscriptionId]: 7 }, notifications: { promptsListChanged: true, resourceSubscriptions: ['test://readme'] } });

    t.registry.tool({ name: 'late', description: 'added later', handler: () => 'x' });
    t.registry.prompt({ name: 'late', handler: () => 'x' });
    t.resourceUpdated('test://readme');
    t.resourceUpdated('test://other');
    await tick();
    expect(tools.ex.sent.slice(1)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { [META.subscriptionId]: 'sub-tools' } } },
    ]);
    assertSchema('ToolListChangedNotification', tools.ex.sent[1]);
    expect(prompts.ex.sent.slice(1).map((n) => [n.method, n.params])).toEqual([
      ['notifications/prompts/list_changed', { _meta: { [META.subscriptionId]: 7 } }],
      ['notifications/resources/updated', { uri: 'test://readme', _meta: { [META.subscriptionId]: 7 } }],
    ]);
    for (const n of prompts.ex.sent.slice(1)) assertSchema('ServerNotification', n);

    tools.ex.controller.abort();
    const done = await tools.reply;
    expect(done.body).toEqual({
      jsonrpc: '2.0', id: 'sub-tools',
      result: { resultType: 'complete', _meta: { [META.subscriptionId]: 'sub-tools', [META.serverInfo]: { name: 'test-server', version: '1.2.3' } } },
    });
    assertModernResponse('subscriptions/listen', done.body);
    // An ended listener receives nothing more.
    t.registry.tool({ name: 'later', description: 'x', handler: () => 'x' });
    await tick();
    expect(tools.ex.sent).toHaveLength(2);
    expect(t.engine.services.hub.size).toBe(1);
    prompts.ex.controller.abort();
    await prompts.reply;
    expect(t.engine.services.hub.size).toBe(0);
  });

  it('ends open listens with a completion result when the engine closes', async () => {
    const l = listen(1, { resourcesListChanged: true });
    await l.acked;
    t.registry.template({ uriTemplate: 'x://{a}', name: 'x', read: () => '' });
    await tick();
    expect(l.ex.sent[1].method).toBe('notifications/resources/list_changed');
    t.engine.close();
    const done = await l.reply;
    expect(done.body.result?._meta?.[META.subscriptionId]).toBe(1);
  });

  it('returns at once for an already aborted signal', async () => {
    const ex = fakeExchange();
    ex.controller.abort();
    const r = await call(t.engine, modernRequest('subscriptions/listen', { notifications: {} }, { id: 3 }), ex);
    expect(r.body.result?.resultType).toBe('complete');
    expect(ex.sent[0].method).toBe('notifications/subscriptions/acknowledged');
  });

  it.each([
    ['missing notifications', {}],
    ['notifications as an array', { notifications: [] }],
    ['non-string resourceSubscriptions', { notifications: { resourceSubscriptions: [1] } }],
    ['a resourceSubscriptions URI over 2048 characters', { notifications: { resourceSubscriptions: [`x://${'a'.repeat(2048)}`] } }],
  ])('rejects %s with -32602 before acknowledging', async (_label, params) => {
    const ex = fakeExchange();
    const r = await call(t.engine, modernRequest('subscriptions/listen', params), ex);
    expect(r.body.error?.code).toBe(-32602);
    expect(ex.sent).toEqual([]);
  });

  it('refuses more resourceSubscriptions than the quota with a quota error naming the limit', async () => {
    const ex = fakeExchange();
    const many = { notifications: { resourceSubscriptions: Array.from({ length: 101 }, (_, i) => `x://${i}`) } };
    const r = await call(t.engine, modernRequest('subscriptions/listen', many), ex);
    expect(r.body.error).toMatchObject({ code: -32011, data: { code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_SUBSCRIPTIONS_PER_SESSION', max: 100 } });
    expect(r.body.error?.message).toMatch(/at most 100 .*MCP_MAX_SUBSCRIPTIONS_PER_SESSION/);
    expect(ex.sent).toEqual([]);
  });

  it('ends the stream gracefully when the transport-set lifetime passes', async () => {
    const ex = { ...fakeExchange(), streamLimits: { maxSubscriptions: 10, lifetimeMs: 50 } };
    const t0 = Date.now();
    const r = await call(t.engine, modernRequest('subscriptions/listen', { notifications: { toolsListChanged: true } }, { id: 9 }), ex);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(r.body.result?.resultType).toBe('complete');
    expect(t.engine.services.hub.size).toBe(0);
  });
});
