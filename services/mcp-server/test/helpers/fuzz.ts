/**
 * fast-check arbitraries shared by the engine and HTTP property tests: valid seed requests
 * and structural mutations of them (drop, retype, huge strings, deep nesting, odd ids).
 */
import fc from 'fast-check';
import { expect } from '@jest/globals';
import { META, MODERN_VERSION } from '../../src/mcp/protocol.js';

type Json = unknown;

const meta = (extra: Record<string, unknown> = {}) => ({
  [META.protocolVersion]: MODERN_VERSION,
  [META.clientCapabilities]: { elicitation: {}, sampling: {} },
  ...extra,
});

/** Valid 2026-07-28 requests covering every method and the interesting tools. */
export const MODERN_SEEDS: readonly Record<string, unknown>[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta() } },
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: meta() } },
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 }, _meta: meta({ progressToken: 'p' }) } },
  { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'ask', arguments: {}, inputResponses: { name: { action: 'accept', content: { value: 'x' } } }, _meta: meta() } },
  { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'log', _meta: meta({ [META.logLevel]: 'debug' }) } },
  { jsonrpc: '2.0', id: 6, method: 'prompts/list', params: { cursor: 'abc', _meta: meta() } },
  { jsonrpc: '2.0', id: 7, method: 'prompts/get', params: { name: 'greet', arguments: { name: 'a' }, _meta: meta() } },
  { jsonrpc: '2.0', id: 8, method: 'resources/read', params: { uri: 'test://users/1', _meta: meta() } },
  { jsonrpc: '2.0', id: 9, method: 'resources/list', params: { _meta: meta() } },
  { jsonrpc: '2.0', id: 10, method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'a' }, context: { arguments: {} }, _meta: meta() } },
  { jsonrpc: '2.0', id: 11, method: 'server/discover', params: { _meta: meta() } },
  { jsonrpc: '2.0', id: 'listen', method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true, resourceSubscriptions: ['test://readme'] }, _meta: meta() } },
  { jsonrpc: '2.0', id: 13, method: 'tools/call', params: { name: 'wait', _meta: meta() } },
];

/** Valid 2025 requests (no `_meta`). */
export const LEGACY_SEEDS: readonly Record<string, unknown>[] = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } },
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
  { jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'info' } },
  { jsonrpc: '2.0', id: 4, method: 'resources/subscribe', params: { uri: 'test://readme' } },
  { jsonrpc: '2.0', id: 5, method: 'ping' },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
];

const ODD_IDS: readonly Json[] = [null, -0, 0, -1, 1.5, 2 ** 53, 1e308, '', 'x'.repeat(300), true, [], {}, '\u0000', '💥'];

/** A value that stresses validators: deep nesting, huge strings, odd numbers, wrong types. */
export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<Json>(null, true, 0, -1, 1e308, -1e-308, '', [], {}, '__proto__', 'constructor', '../../etc/passwd', '=?base64?AAAA?=', '\u0000\uffff'),
  fc.nat({ max: 2000 }).map((n) => { let v: Json = 'deep'; for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v }; return v; }),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v !== null && typeof v === 'object' && prefix.length < 6) {
    for (const [k, child] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(child, p, out);
    }
  }
  return out;
}

type Mutation = { op: 'drop' | 'set'; pick: number; value: Json } | { op: 'id'; value: Json } | { op: 'none' };

/** Apply a mutation in place (the caller cloned the seed once). */
function apply(copy: Record<string, unknown>, m: Mutation): Json {
  if (m.op === 'none') return copy;
  if (m.op === 'id') { copy.id = m.value; return copy; }
  const all = paths(copy);
  if (all.length === 0) return copy;
  const path = all[m.pick % all.length];
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (m.op === 'drop') { if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last]; } else parent[last] = m.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'none' }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('drop' as const), pick: fc.nat(), value: fc.constant(null) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: nastyValue }) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_IDS).map((value): Mutation => ({ op: 'id', value })) },
);

/** A seed with up to three mutations applied. */
export function mutatedRequest(seeds: readonly Record<string, unknown>[]): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([seed, ms]) => {
    let v: Json = JSON.parse(JSON.stringify(seed)) as Json;
    for (const m of ms) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? apply(v as Record<string, unknown>, m) : v;
    return v;
  });
}

/** Assert one well-formed JSON-RPC response; returns it. */
export function expectWellFormed(body: unknown): { id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } } {
  expect(body).not.toBeNull();
  expect(typeof body).toBe('object');
  const r = body as Record<string, unknown>;
  expect(r.jsonrpc).toBe('2.0');
  expect('result' in r).not.toBe('error' in r);
  if ('error' in r) {
    const e = r.error as Record<string, unknown>;
    expect(Number.isInteger(e.code)).toBe(true);
    expect(typeof e.message).toBe('string');
  } else {
    expect(typeof r.result).toBe('object');
    expect(r.result).not.toBeNull();
  }
  expect(r.id === null || typeof r.id === 'string' || Number.isInteger(r.id)).toBe(true);
  return r as ReturnType<typeof expectWellFormed>;
}
