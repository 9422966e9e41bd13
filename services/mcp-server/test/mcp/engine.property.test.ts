import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { classify } from '../../src/mcp/jsonrpc.js';
import { fakeExchange, legacySession } from '../helpers/exchange.js';
import { expectWellFormed, LEGACY_SEEDS, MODERN_SEEDS, mutatedRequest, nastyValue } from '../helpers/fuzz.js';
import { assertModernResponse } from '../helpers/schema.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

let t: TestEngine;
beforeAll(async () => { t = await buildTestEngine(); });
afterAll(async () => { await t.close(); });

/**
 * Classify like a transport, then dispatch requests and notifications. Long-lived handlers
 * (subscriptions/listen, the `wait` tool) end when the exchange aborts, so abort after a
 * moment: a reply must still come back, well-formed.
 */
async function feed(value: unknown, era: 'modern' | 'legacy'): Promise<void> {
  const c = classify(value);
  if (c.kind === 'invalid') { expect(c.reason.length).toBeGreaterThan(0); return; }
  const ex = fakeExchange({ era, session: era === 'legacy' ? legacySession() : undefined, answer: () => ({ action: 'decline' }) });
  if (c.kind === 'notification') { t.engine.notification(c.message, ex); return; }
  if (c.kind === 'response') return;
  const timer = setTimeout(() => ex.controller.abort(), 10);
  try {
    const reply = await t.engine.dispatch(c.message, ex);
    expect(reply.status).not.toBe(500);
    expect([200, 400, 403, 404]).toContain(reply.status);
    const body = expectWellFormed(JSON.parse(reply.body));
    // JSON has no negative zero: compare as the wire would carry the id.
    expect(body.id).toEqual(JSON.parse(JSON.stringify(c.message.id)));
    if (era === 'modern' && body.result) assertModernResponse(c.message.method, body);
    for (const n of ex.sent) { expect(n.jsonrpc).toBe('2.0'); expect(typeof n.method).toBe('string'); }
  } finally {
    clearTimeout(timer);
  }
}

describe('engine under random input', () => {
  it('answers mutated modern requests with well-formed, schema-valid JSON-RPC', async () => {
    await fc.assert(fc.asyncProperty(mutatedRequest(MODERN_SEEDS), (v) => feed(v, 'modern')), { numRuns: 300 });
  });

  it('answers mutated legacy requests with well-formed JSON-RPC', async () => {
    await fc.assert(fc.asyncProperty(mutatedRequest([...LEGACY_SEEDS, ...MODERN_SEEDS]), (v) => feed(v, 'legacy')), { numRuns: 200 });
  });

  it('answers arbitrary params on every method', async () => {
    const methods = [...new Set([...MODERN_SEEDS, ...LEGACY_SEEDS].map((s) => s.method as string)), 'unknown/method', 'resources/unsubscribe', 'resources/templates/list'];
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...methods), fc.dictionary(fc.constantFrom('name', 'uri', 'arguments', 'cursor', 'ref', 'argument', 'requestState', 'inputResponses', 'notifications', 'level', 'protocolVersion', '_meta'), nastyValue, { maxKeys: 5 }),
      fc.constantFrom<'modern' | 'legacy'>('modern', 'legacy'),
      (method, params, era) => feed({ jsonrpc: '2.0', id: 1, method, params }, era),
    ), { numRuns: 300 });
  });

  it('classifies any JSON value without throwing', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(['request', 'notification', 'response', 'invalid']).toContain(classify(v).kind); }), { numRuns: 500 });
  });
});
