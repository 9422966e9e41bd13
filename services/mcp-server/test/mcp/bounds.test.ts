/**
 * What a 2025 session keeps from the client is bounded: `initialize` keeps only the
 * capabilities and clientInfo fields the server reads, each capped (it stored them as sent:
 * 80 sessions with 4 MiB of capabilities held 245 MB), and `resources/subscribe` keeps only
 * URIs of readable resources, capped in length and — with the transport's BoundedSet — count
 * (it kept any URI of any length, existing or not).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BoundedSet, keepCapabilities, keepClientInfo, QuotaExceededError } from '../../src/mcp/bounds.js';
import { call, fakeExchange, legacyRequest, legacySession } from '../helpers/exchange.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

let t: TestEngine;
beforeEach(async () => { t = await buildTestEngine(); });
afterEach(async () => { await t.close(); });

const MiB = 1024 * 1024;

describe('initialize keeps only what the server uses', () => {
  it('drops unknown capabilities and oversized values, caps clientInfo fields', async () => {
    const session = legacySession(undefined, { initialized: false });
    const ex = fakeExchange({ era: 'legacy', session });
    const r = await call(t.engine, legacyRequest('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: { junk: 'j'.repeat(4 * MiB), sampling: { big: 's'.repeat(MiB) }, elicitation: { form: {} }, roots: { listChanged: true } },
      clientInfo: { name: 'n'.repeat(MiB), version: '1.0.0', extra: 'e'.repeat(MiB) },
    }), ex);
    expect(r.body.result?.protocolVersion).toBe('2025-11-25');
    expect(session.capabilities).toEqual({ sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } });
    expect(session.clientInfo).toEqual({ name: 'n'.repeat(256), version: '1.0.0' });
    expect(JSON.stringify(session).length).toBeLessThan(2048);
  });

  it('keepCapabilities and keepClientInfo ignore non-objects', () => {
    expect(keepCapabilities([1, 2])).toEqual({});
    expect(keepCapabilities(null)).toEqual({});
    expect(keepCapabilities({ sampling: 'yes' })).toEqual({ sampling: {} });
    expect(keepClientInfo('x')).toBeUndefined();
    expect(keepClientInfo({ name: 7, title: 'T' })).toEqual({ title: 'T' });
  });
});

describe('resources/subscribe keeps only real, readable, short URIs', () => {
  const subscribe = (uri: unknown, session = legacySession()) =>
    call(t.engine, legacyRequest('resources/subscribe', { uri }), fakeExchange({ era: 'legacy', session }));

  it('keeps an existing resource', async () => {
    const session = legacySession();
    expect((await subscribe('test://readme', session)).body.result).toEqual({});
    expect([...session.subscriptions]).toEqual(['test://readme']);
  });

  it('refuses unknown URIs (-32002) and URIs over 2048 characters (-32602), keeping nothing', async () => {
    const session = legacySession();
    expect((await subscribe('test://nope', session)).body.error?.code).toBe(-32002);
    expect((await subscribe(`test://${'x'.repeat(4 * MiB)}`, session)).body.error?.code).toBe(-32602);
    expect(session.subscriptions.size).toBe(0);
  });

  it('refuses a resource the principal may not read (403, nothing kept)', async () => {
    const session = legacySession();
    const r = await subscribe('test://secret', session);
    expect(r.status).toBe(403);
    expect(session.subscriptions.size).toBe(0);
  });

  it('takes template URIs; a BoundedSet session refuses the URI past its quota with the limit named', async () => {
    const subscriptions = new BoundedSet<string>(1, () => new QuotaExceededError('MCP_MAX_SUBSCRIPTIONS_PER_SESSION', 1, 'resource subscriptions per session', 'unsubscribe first'));
    const session = legacySession(undefined, { subscriptions });
    expect((await subscribe('test://users/1', session)).body.result).toEqual({});
    expect((await subscribe('test://users/1', session)).body.result).toEqual({}); // already there: no growth
    const r = await subscribe('test://readme', session);
    expect(r.body.error).toMatchObject({ code: -32011, data: { code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_SUBSCRIPTIONS_PER_SESSION', max: 1 } });
    expect(r.body.error?.message).toMatch(/MCP_MAX_SUBSCRIPTIONS_PER_SESSION/);
    expect([...session.subscriptions]).toEqual(['test://users/1']);
  });
});
