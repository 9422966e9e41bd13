import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { META } from '../../src/mcp/protocol.js';
import { ALICE, BOB, call, fakeExchange, firstText, legacyRequest, legacySession, modernRequest, type Parsed } from '../helpers/exchange.js';
import { assertModernResponse } from '../helpers/schema.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

const ELICIT = { elicitation: {} };
const accept = (value: string) => ({ action: 'accept', content: { value } });

let t: TestEngine;
let clock: number;
beforeEach(async () => {
  clock = Date.UTC(2030, 0, 1);
  t = await buildTestEngine({ now: () => clock, requestStateTtlMs: 60_000 });
});
afterEach(async () => { await t.close(); });

async function ask(params: Record<string, unknown> = {}, principal = ALICE, capabilities: Record<string, unknown> = ELICIT): Promise<Parsed> {
  const r = await call(t.engine, modernRequest('tools/call', { name: 'ask', arguments: {}, ...params }, { capabilities }), fakeExchange({ principal }));
  assertModernResponse('tools/call', r.body);
  return r;
}

describe('MRTR (2026-07-28 multi round-trip requests)', () => {
  it('answers with input_required, inputRequests and a sealed requestState', async () => {
    const r = await ask();
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: { name: { method: 'elicitation/create', params: { mode: 'form', message: 'Your name?' } } },
      requestState: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      _meta: { [META.serverInfo]: { name: 'test-server', version: '1.2.3' } },
    });
    expect(JSON.stringify(r.body.result)).not.toContain('colour');
  });

  it('completes over several rounds, carrying earlier answers in requestState', async () => {
    const r1 = await ask();
    const r2 = await ask({ inputResponses: { name: accept('Ann') }, requestState: r1.body.result!.requestState });
    expect(r2.body.result).toMatchObject({ resultType: 'input_required', inputRequests: { colour: { method: 'elicitation/create' } } });
    expect(Object.keys(r2.body.result!.inputRequests as object)).toEqual(['colour']);
    // The second round's state carries "name", so the client only answers "colour".
    const r3 = await ask({ inputResponses: { colour: accept('teal') }, requestState: r2.body.result!.requestState });
    expect(r3.body.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Ann likes teal' }] });
    // The answered state is not readable: the user's answer is encrypted.
    expect(Buffer.from(r2.body.result!.requestState as string, 'base64url').toString('latin1')).not.toContain('Ann');
  });

  it('completes in one retry when every answer is supplied', async () => {
    const r = await ask({ inputResponses: { name: accept('Bo'), colour: accept('red') } });
    expect(firstText(r.body.result)).toBe('Bo likes red');
  });

  it('re-asks for answers that are not objects', async () => {
    const r = await ask({ inputResponses: { name: 'Ann' } });
    expect(r.body.result?.resultType).toBe('input_required');
    expect((await ask({ inputResponses: [1] })).body.error?.code).toBe(-32602);
  });

  it.each([
    ['a flipped character', (s: string) => `${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`],
    ['a truncated state', (s: string) => s.slice(0, -4)],
    ['garbage', () => 'not-a-state'],
    ['a non-string', () => 12345 as unknown as string],
  ])('rejects %s with -32602', async (_label, mutate) => {
    const r1 = await ask();
    const r = await ask({ inputResponses: { name: accept('Ann') }, requestState: mutate(r1.body.result!.requestState as string) });
    expect(r.body.error).toMatchObject({ code: -32602, message: expect.stringMatching(/requestState/) });
  });

  it('rejects an expired requestState', async () => {
    const r1 = await ask();
    clock += 60_001;
    const r = await ask({ inputResponses: { name: accept('Ann') }, requestState: r1.body.result!.requestState });
    expect(r.body.error?.code).toBe(-32602);
  });

  it('rejects a requestState presented by another principal', async () => {
    const r1 = await ask();
    const r = await ask({ inputResponses: { name: accept('Ann') }, requestState: r1.body.result!.requestState }, BOB);
    expect(r.body.error?.code).toBe(-32602);
    // The same principal from another issuer is another principal.
    const r2 = await ask({ inputResponses: { name: accept('Ann') }, requestState: r1.body.result!.requestState }, { ...ALICE, issuer: 'https://evil.example' });
    expect(r2.body.error?.code).toBe(-32602);
  });

  it('rejects a requestState replayed against other arguments or another tool', async () => {
    const r1 = await ask({ arguments: { topic: 'a' } });
    const state = r1.body.result!.requestState;
    expect((await ask({ arguments: { topic: 'b' }, requestState: state })).body.error?.code).toBe(-32602);
    const other = await call(t.engine, modernRequest('tools/call', { name: 'sample', requestState: state }, { capabilities: { sampling: {} } }));
    expect(other.body.error?.code).toBe(-32602);
    const prompt = await call(t.engine, modernRequest('prompts/get', { name: 'greet', arguments: { name: 'x' }, requestState: state }));
    expect(prompt.body.error?.code).toBe(-32602);
    // Argument key order does not matter for the binding.
    const r2 = await ask({ arguments: { topic: 'a' } });
    expect((await ask({ arguments: { topic: 'a' }, requestState: r2.body.result!.requestState })).body.result?.resultType).toBe('input_required');
  });

  it('answers -32021 with data.requiredCapabilities when the client lacks the capability', async () => {
    const r = await ask({}, ALICE, {});
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: {} } } });
    const s = await call(t.engine, modernRequest('tools/call', { name: 'sample' }, { capabilities: ELICIT }));
    expect(s.body.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { sampling: {} } } });
  });
});

describe('legacy client input', () => {
  it('asks through exchange.request and completes in one round', async () => {
    const ex = fakeExchange({
      era: 'legacy', session: legacySession(ALICE, { capabilities: ELICIT }),
      answer: (_m, params) => accept(String(params?.message).startsWith('Your name') ? 'Cy' : 'blue'),
    });
    const r = await call(t.engine, legacyRequest('tools/call', { name: 'ask', arguments: {} }), ex);
    expect(firstText(r.body.result)).toBe('Cy likes blue');
    expect(r.body.result).not.toHaveProperty('resultType');
    expect(ex.asked.map((a) => a.method)).toEqual(['elicitation/create', 'elicitation/create']);
  });

  it('refuses when the session did not declare the capability', async () => {
    const ex = fakeExchange({ era: 'legacy', session: legacySession(ALICE, { capabilities: {} }), answer: () => ({}) });
    const r = await call(t.engine, legacyRequest('tools/call', { name: 'ask' }), ex);
    expect(r.body.error?.code).toBe(-32021);
    expect(ex.asked).toEqual([]);
  });

  it('answers -32603 (not a hang) when the transport cannot carry a request to the client', async () => {
    const r = await call(t.engine, legacyRequest('tools/call', { name: 'ask' }), fakeExchange({ era: 'legacy', session: legacySession(ALICE, { capabilities: ELICIT }) }));
    expect(r).toMatchObject({ status: 200, body: { error: { code: -32603, message: expect.stringMatching(/cannot send requests/) } } });
  });
});

describe('MRTR rounds are bounded', () => {
  it('a request that keeps asking is refused at round 17 with a quota error naming the limit', async () => {
    const { createMcpServer } = await import('../../src/server.js');
    const { defineTool } = await import('../../src/mcp/define.js');
    const server = await createMcpServer({
      serverInfo: { name: 't', version: '1' }, secret: 'a-test-secret-that-is-at-least-32-characters-long',
      tools: [defineTool({
        name: 'forever', description: 'Asks one more question every round',
        handler: async (_input, ctx) => {
          for (let i = 0; ; i++) await ctx.input.elicit({ mode: 'form', message: `Question ${i}?`, requestedSchema: { type: 'object', properties: {} } }, `q${i}`);
        },
      })],
    });
    try {
      let state: unknown;
      let last: Parsed | undefined;
      for (let round = 1; round <= 17; round++) {
        const answers = round === 1 ? {} : { inputResponses: { [`q${round - 2}`]: { action: 'accept', content: {} } }, requestState: state };
        last = await call(server.engine, modernRequest('tools/call', { name: 'forever', arguments: {}, ...answers }, { capabilities: ELICIT }));
        if (round < 17) {
          expect(last.body.result?.resultType).toBe('input_required');
          state = last.body.result!.requestState;
        }
      }
      expect(last!.body.error).toMatchObject({ code: -32011, data: { code: 'ERR_QUOTA_EXCEEDED', limit: 'MAX_MRTR_ROUNDS', max: 16 } });
    } finally {
      await server.close();
    }
  });
});
