import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { ACCEPT, parseSse } from '../helpers/http.js';
import { expectWellFormed, LEGACY_SEEDS, MODERN_SEEDS, mutatedRequest } from '../helpers/fuzz.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => { s = await startTestServer({ maxBodyBytes: 4096, sessions: 'stateless' }); });
afterAll(async () => { await s.close(); });

const CLEAN = [200, 202, 400, 403, 404, 406, 413, 415];
/** Long-lived handlers would hold the response open; the engine property test covers them. */
const HTTP_SEEDS = MODERN_SEEDS.filter((r) => r.method !== 'subscriptions/listen' && (r.params as { name?: string }).name !== 'wait');

async function send(body: Buffer | string, headers: Record<string, string>): Promise<void> {
  let r = request(s.origin).post('/mcp').timeout(5000);
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  const res = await r.buffer(true).parse((stream, cb) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
  }).send(body);
  expect(CLEAN).toContain(res.status);
  const text = res.body as string;
  if (res.status === 202) { expect(text).toBe(''); return; }
  if (res.headers['content-type'] === 'text/event-stream') {
    const events = parseSse(text);
    expect(events.length).toBeGreaterThan(0);
    expectWellFormed(events[events.length - 1].data);
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const parsed = JSON.parse(text) as unknown;
  if (Array.isArray(parsed)) parsed.forEach(expectWellFormed); else expectWellFormed(parsed);
}

/** Headers that usually agree with the body, so mutated requests get past header checks. */
function headersFor(v: unknown, era: 'modern' | 'legacy', version: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': version };
  if (era === 'modern' && v !== null && typeof v === 'object') {
    const m = v as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
    // Stay under Node's header size limit (a 431 from the HTTP parser is not the app's answer).
    if (typeof m.method === 'string' && m.method.length < 1000 && /^[\x20-\x7e]*$/.test(m.method)) h['mcp-method'] = m.method;
    const name = m.params && typeof m.params === 'object' ? (m.params.name ?? m.params.uri) : undefined;
    if (typeof name === 'string' && name.length < 1000) h['mcp-name'] = `=?base64?${Buffer.from(name).toString('base64')}?=`;
  }
  return h;
}

describe('HTTP app under random input', () => {
  it('answers mutated modern requests cleanly', async () => {
    await fc.assert(fc.asyncProperty(mutatedRequest(HTTP_SEEDS), async (v) => {
      await send(JSON.stringify(v), headersFor(v, 'modern', '2026-07-28'));
    }), { numRuns: 200 });
  });

  it('answers mutated legacy requests and batches cleanly', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(mutatedRequest(LEGACY_SEEDS), fc.array(mutatedRequest(LEGACY_SEEDS), { maxLength: 4 })),
      fc.constantFrom('2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28', '1999-01-01'),
      async (v, version) => { await send(JSON.stringify(v), headersFor(v, 'legacy', version)); },
    ), { numRuns: 200 });
  });

  it('answers arbitrary JSON values cleanly', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (v, modern) => {
      await send(JSON.stringify(v) ?? 'null', headersFor(v, modern ? 'modern' : 'legacy', modern ? '2026-07-28' : '2025-11-25'));
    }), { numRuns: 200 });
  });

  it('answers random bytes cleanly, with random content negotiation', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 6000 }),
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
      fc.constantFrom(ACCEPT, 'application/json', '*/*', ''),
      async (bytes, ctype, accept) => {
        const h: Record<string, string> = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' };
        if (ctype) h['content-type'] = ctype;
        if (accept) h.accept = accept;
        await send(Buffer.from(bytes), h);
      },
    ), { numRuns: 200 });
  });

  it('still serves normally afterwards', async () => {
    const r = await request(s.origin).post('/mcp').set('content-type', 'application/json').set('accept', ACCEPT).set('mcp-protocol-version', '2025-11-25')
      .send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    expect(r.body).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });
});
