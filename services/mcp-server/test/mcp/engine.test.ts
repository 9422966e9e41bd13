import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { createEngine } from '../../src/mcp/engine.js';
import { META, MODERN_VERSION } from '../../src/mcp/protocol.js';
import { Registry } from '../../src/mcp/registry.js';
import { ALICE, call, fakeExchange, firstText, legacyRequest, legacySession, modernRequest, type Parsed } from '../helpers/exchange.js';
import { assertLegacyResponse, assertModernResponse, assertSchema } from '../helpers/schema.js';
import { buildTestEngine, type TestEngine } from '../helpers/server.js';

let t: TestEngine;
beforeEach(async () => { t = await buildTestEngine(); });
afterEach(async () => { await t.close(); });

/** Dispatch a modern request and validate the response against the 2026-07-28 schema. */
async function modern(method: string, params: Record<string, unknown> = {}, opts: Parameters<typeof modernRequest>[2] = {}, ex = fakeExchange()): Promise<Parsed> {
  const r = await call(t.engine, modernRequest(method, params, opts), ex);
  assertModernResponse(method, r.body);
  return r;
}

describe('modern _meta validation', () => {
  it('answers a request without _meta with -32602 and HTTP 400', async () => {
    const r = await call(t.engine, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: -32602, message: expect.stringContaining(META.protocolVersion) });
    assertModernResponse('tools/list', r.body);
  });

  it('checks _meta before the method: an unknown method without _meta is still -32602', async () => {
    const r = await call(t.engine, { jsonrpc: '2.0', id: 1, method: 'no/such', params: { _meta: {} } });
    expect(r.body.error?.code).toBe(-32602);
  });

  it('answers a missing clientCapabilities object with -32602 / 400', async () => {
    const r = await call(t.engine, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { [META.protocolVersion]: MODERN_VERSION, [META.clientCapabilities]: [] } } });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain(META.clientCapabilities);
  });

  it('answers an unsupported version with -32022, data.supported and data.requested', async () => {
    const r = await call(t.engine, modernRequest('tools/list', {}, { meta: { [META.protocolVersion]: '2099-01-01' } }));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: -32022, data: { supported: [MODERN_VERSION], requested: '2099-01-01' } });
    assertSchema('UnsupportedProtocolVersionError', r.body);
  });

  it('answers an unknown method with -32601 and HTTP 404', async () => {
    const r = await modern('tools/destroy');
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe(-32601);
    expect(r.body.id).toEqual(expect.any(Number));
  });

  it.each(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe'])('does not serve the legacy-only method %s in the modern era', async (method) => {
    const r = await call(t.engine, modernRequest(method, { protocolVersion: '2025-11-25', level: 'info', uri: 'x://y' }));
    expect(r).toMatchObject({ status: 404, body: { error: { code: -32601 } } });
  });
});

describe('result envelope', () => {
  it('adds resultType and serverInfo to modern results', async () => {
    for (const method of ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'server/discover']) {
      const r = await modern(method);
      expect(r.status).toBe(200);
      expect(r.body.result?.resultType).toBe('complete');
      expect(r.body.result?._meta?.[META.serverInfo]).toEqual({ name: 'test-server', version: '1.2.3' });
    }
  });

  it('writes the same envelope whether the result is spliced (no _meta of its own) or merged', async () => {
    const registry = new Registry()
      .prompt({ name: 'plain', handler: () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hi "there"\n' } }] }) })
      .prompt({ name: 'meta', handler: () => ({ messages: [], _meta: { 'x.example/k': 1 } }) });
    const engine = createEngine({ registry, serverInfo: { name: 's', version: '1' } });
    const plain = await call(engine, modernRequest('prompts/get', { name: 'plain' }));
    const merged = await call(engine, modernRequest('prompts/get', { name: 'meta' }));
    const envelope = { resultType: 'complete', _meta: { [META.serverInfo]: { name: 's', version: '1' } } };
    expect(plain.body.result).toEqual({ messages: [{ role: 'user', content: { type: 'text', text: 'hi "there"\n' } }], ...envelope });
    // Key order too: the result's own members first, then resultType and _meta, as the merge writes them.
    expect(Object.keys(plain.body.result!)).toEqual(['messages', 'resultType', '_meta']);
    expect(merged.body.result).toEqual({ messages: [], resultType: 'complete', _meta: { 'x.example/k': 1, [META.serverInfo]: { name: 's', version: '1' } } });
    engine.close();
  });

  it('leaves resultType, serverInfo and cache hints off legacy results', async () => {
    const ex = fakeExchange({ era: 'legacy', session: legacySession() });
    for (const [method, def] of [['tools/list', 'ListToolsResult'], ['prompts/list', 'ListPromptsResult'], ['resources/list', 'ListResourcesResult'], ['resources/templates/list', 'ListResourceTemplatesResult']] as const) {
      const r = await call(t.engine, legacyRequest(method), ex);
      expect(r.body.result).toBeDefined();
      expect(r.body.result).not.toHaveProperty('resultType');
      expect(r.body.result).not.toHaveProperty('_meta');
      expect(r.body.result).not.toHaveProperty('ttlMs');
      expect(r.body.result).not.toHaveProperty('cacheScope');
      assertLegacyResponse(def, r.body);
    }
  });

  it('adds ttlMs and cacheScope to lists, reads and discover', async () => {
    expect((await modern('tools/list')).body.result).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' }); // admin_only is scoped
    expect((await modern('prompts/list')).body.result).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
    expect((await modern('resources/read', { uri: 'test://readme' })).body.result).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
    expect((await modern('server/discover')).body.result).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public', supportedVersions: expect.arrayContaining([MODERN_VERSION, '2025-11-25']) });
  });

  it('serves legacy initialize with the requested or newest legacy version', async () => {
    const session = legacySession(ALICE, { protocolVersion: '2025-03-26' });
    const r = await call(t.engine, legacyRequest('initialize', { protocolVersion: '2025-06-18', capabilities: { sampling: {} }, clientInfo: { name: 'c', version: '1' } }), fakeExchange({ era: 'legacy', session }));
    expect(r.body.result).toMatchObject({ protocolVersion: '2025-06-18', serverInfo: { name: 'test-server' } });
    expect(session).toMatchObject({ protocolVersion: '2025-06-18', capabilities: { sampling: {} }, clientInfo: { name: 'c' } });
    assertLegacyResponse('InitializeResult', r.body);
    const r2 = await call(t.engine, legacyRequest('initialize', { protocolVersion: '1999-01-01' }), fakeExchange({ era: 'legacy' }));
    expect(r2.body.result?.protocolVersion).toBe('2025-11-25');
    const r3 = await call(t.engine, legacyRequest('initialize', {}), fakeExchange({ era: 'legacy' }));
    expect(r3.body.error?.code).toBe(-32602);
  });

  it('pages tools/list with a small page size', async () => {
    const small = await buildTestEngine({ pageSize: 5 });
    try {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await call(small.engine, modernRequest('tools/list', cursor ? { cursor } : {}));
        assertModernResponse('tools/list', r.body);
        names.push(...(r.body.result!.tools as { name: string }[]).map((x) => x.name));
        cursor = r.body.result!.nextCursor as string | undefined;
      } while (cursor);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(small.registry.visible('tool', ALICE.scopes).map((e) => e.name));
      const bad = await call(small.engine, modernRequest('tools/list', { cursor: 'forged' }));
      expect(bad.body.error?.code).toBe(-32602);
      const p = await call(small.engine, modernRequest('prompts/list', { cursor: (await call(small.engine, modernRequest('tools/list'))).body.result!.nextCursor }));
      expect(p.body.error?.code).toBe(-32602);
    } finally { await small.close(); }
  });

  it('hides scoped tools from principals without the scope', async () => {
    const names = ((await modern('tools/list')).body.result!.tools as { name: string }[]).map((x) => x.name);
    expect(names).not.toContain('admin_only');
    const admin = fakeExchange({ principal: { ...ALICE, scopes: ['mcp:admin'] } });
    const adminNames = ((await modern('tools/list', {}, {}, admin)).body.result!.tools as { name: string }[]).map((x) => x.name);
    expect(adminNames).toContain('admin_only');
  });
});

describe('tools/call', () => {
  it('returns text from a string handler', async () => {
    const r = await modern('tools/call', { name: 'echo', arguments: { text: 'hi' } });
    expect(r.body.result).toMatchObject({ content: [{ type: 'text', text: 'hi' }], resultType: 'complete' });
    expect(r.body.result).not.toHaveProperty('isError');
  });

  it('turns invalid input into isError naming the field without echoing the value', async () => {
    const secret = `SECRET-${'v'.repeat(200)}`;
    const r = await modern('tools/call', { name: 'echo', arguments: { text: secret } });
    expect(r.body.result?.isError).toBe(true);
    const text = firstText(r.body.result);
    expect(text).toMatch(/Invalid arguments for tool echo: text:/);
    expect(text).not.toContain('SECRET');
    const r2 = await modern('tools/call', { name: 'add', arguments: { a: 'one-SECRET', b: 2 } });
    expect(firstText(r2.body.result)).toMatch(/\ba:/);
    expect(firstText(r2.body.result)).not.toContain('SECRET');
  });

  it('hides internal error details behind a generic message', async () => {
    const r = await modern('tools/call', { name: 'crash' });
    expect(r.body.result?.isError).toBe(true);
    const text = firstText(r.body.result);
    expect(text).toBe('Tool crash failed because of an internal error');
    expect(JSON.stringify(r.body)).not.toMatch(/ENOENT|\/srv|db\.ts|at Object/);
  });

  it('passes a ToolError message through', async () => {
    const r = await modern('tools/call', { name: 'refuse' });
    expect(r.body.result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Quota exceeded, try tomorrow' }] });
  });

  it('validates structured output and mirrors it as text', async () => {
    const r = await modern('tools/call', { name: 'add', arguments: { a: 1, b: 2 } });
    expect(r.body.result).toMatchObject({ structuredContent: { sum: 3 }, content: [{ type: 'text', text: '{"sum":3}' }] });
    const bad = await modern('tools/call', { name: 'bad_output' });
    expect(bad.body.result).toMatchObject({ isError: true });
    expect(firstText(bad.body.result)).toMatch(/does not match its declared schema/);
    expect(JSON.stringify(bad.body)).not.toContain('not a number');
  });

  it('answers an unknown tool or a missing name with -32602', async () => {
    expect((await modern('tools/call', { name: 'nope' })).body.error?.code).toBe(-32602);
    expect((await modern('tools/call', {})).body.error?.code).toBe(-32602);
  });

  it('refuses a scoped tool with InsufficientScopeError (403, requiredScopes)', async () => {
    const r = await modern('tools/call', { name: 'admin_only' });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:admin'] } });
    expect(t.engine.requiredScopes('tools/call', 'admin_only')).toEqual(['mcp:admin']);
    expect(t.engine.requiredScopes('resources/read', 'test://users/1')).toEqual([]);
    expect(t.engine.requiredScopes('resources/read', 'test://secret')).toEqual(['mcp:admin']);
    const admin = fakeExchange({ principal: { ...ALICE, scopes: ['mcp:admin'] } });
    expect(firstText((await modern('tools/call', { name: 'admin_only' }, {}, admin)).body.result)).toBe('admin ok');
  });

  it('keeps the 403 for legacy clients but other errors ride on HTTP 200', async () => {
    const ex = fakeExchange({ era: 'legacy', session: legacySession() });
    expect((await call(t.engine, legacyRequest('tools/call', { name: 'admin_only' }), ex)).status).toBe(403);
    const unknown = await call(t.engine, legacyRequest('tools/call', { name: 'nope' }), ex);
    expect(unknown).toMatchObject({ status: 200, body: { error: { code: -32602 } } });
    const method = await call(t.engine, legacyRequest('tools/destroy'), ex);
    expect(method).toMatchObject({ status: 200, body: { error: { code: -32601 } } });
  });

  it('emits one audit event per call with the outcome', async () => {
    await modern('tools/call', { name: 'echo', arguments: { text: 'x' } });
    await modern('tools/call', { name: 'crash' });
    await modern('tools/call', { name: 'admin_only' });
    await modern('tools/call', { name: 'ask' }, { capabilities: { elicitation: {} } });
    await modern('tools/call', { name: 'nope' });
    await modern('tools/list');
    expect(t.probe.audits.map((a) => [a.method, a.name, a.outcome])).toEqual([
      ['tools/call', 'echo', 'ok'],
      ['tools/call', 'crash', 'error'],
      ['tools/call', 'admin_only', 'denied'],
      ['tools/call', 'ask', 'input_required'],
      ['tools/call', 'nope', 'error'],
    ]);
    for (const a of t.probe.audits) expect(a).toMatchObject({ subject: 'alice', clientId: 'test-client', durationMs: expect.any(Number) });
  });

  it('answers a throwing non-tool handler with a sanitized -32603', async () => {
    const registry = new Registry().prompt({ name: 'boom', handler: () => { throw new Error('/etc/shadow leaked'); } });
    const engine = createEngine({ registry, serverInfo: { name: 's', version: '1' } });
    const r = await call(engine, modernRequest('prompts/get', { name: 'boom' }));
    expect(r.status).toBe(500);
    expect(r.body.error).toEqual({ code: -32603, message: 'Internal error' });
    engine.close();
  });
});

describe('progress and logging', () => {
  it('sends progress only when the request carries a progress token', async () => {
    const ex = fakeExchange();
    await modern('tools/call', { name: 'progress', _meta: { progressToken: 'tok-1' } }, {}, ex);
    expect(ex.sent).toEqual([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok-1', progress: 1, total: 2, message: 'half way' } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok-1', progress: 2, total: 2 } },
    ]);
    for (const n of ex.sent) assertSchema('ProgressNotification', n);
    const quiet = fakeExchange();
    await modern('tools/call', { name: 'progress' }, {}, quiet);
    expect(quiet.sent).toEqual([]);
  });

  it('modern: sends log messages only with the logLevel _meta, at or above it', async () => {
    const none = fakeExchange();
    await modern('tools/call', { name: 'log' }, {}, none);
    expect(none.sent).toEqual([]);
    const errOnly = fakeExchange();
    await modern('tools/call', { name: 'log' }, { meta: { [META.logLevel]: 'error' } }, errOnly);
    expect(errOnly.sent).toEqual([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'error', data: { problem: 'an error line' }, logger: 'test' } }]);
    const all = fakeExchange();
    await modern('tools/call', { name: 'log' }, { meta: { [META.logLevel]: 'debug' } }, all);
    expect(all.sent.map((n) => n.params?.level)).toEqual(['debug', 'error']);
    for (const n of all.sent) assertSchema('LoggingMessageNotification', n);
  });

  it('legacy: sends everything until logging/setLevel raises the threshold', async () => {
    const session = legacySession();
    const ex1 = fakeExchange({ era: 'legacy', session });
    await call(t.engine, legacyRequest('tools/call', { name: 'log' }), ex1);
    expect(ex1.sent.map((n) => n.params?.level)).toEqual(['debug', 'error']);
    const set = await call(t.engine, legacyRequest('logging/setLevel', { level: 'warning' }), fakeExchange({ era: 'legacy', session }));
    expect(set.body.result).toEqual({});
    const ex2 = fakeExchange({ era: 'legacy', session });
    await call(t.engine, legacyRequest('tools/call', { name: 'log' }), ex2);
    expect(ex2.sent.map((n) => n.params?.level)).toEqual(['error']);
    const bad = await call(t.engine, legacyRequest('logging/setLevel', { level: 'loud' }), fakeExchange({ era: 'legacy', session }));
    expect(bad.body.error?.code).toBe(-32602);
  });
});

describe('prompts, completion and resources', () => {
  it('gets a prompt and validates its arguments', async () => {
    const r = await modern('prompts/get', { name: 'greet', arguments: { name: 'Ann' } });
    expect(r.body.result?.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Say hello to Ann' } }]);
    const missing = await modern('prompts/get', { name: 'greet', arguments: {} });
    expect(missing.body.error).toMatchObject({ code: -32602, message: expect.stringMatching(/name/) });
    expect((await modern('prompts/get', { name: 'nope' })).body.error?.code).toBe(-32602);
    expect((await modern('prompts/get', { name: 'greet', arguments: [] })).body.error?.code).toBe(-32602);
  });

  it('completes prompt arguments and template variables', async () => {
    const p = await modern('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'al' } });
    expect(p.body.result?.completion).toEqual({ values: ['alice', 'albert'], total: 2, hasMore: false });
    const r = await modern('completion/complete', { ref: { type: 'ref/resource', uri: 'test://users/{id}' }, argument: { name: 'id', value: '1' } });
    expect(r.body.result?.completion).toEqual({ values: ['1', '10'], total: 2, hasMore: false });
    const none = await modern('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'other', value: '' } });
    expect(none.body.result?.completion).toEqual({ values: [], total: 0, hasMore: false });
    for (const params of [
      { ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'n', value: '' } },
      { ref: { type: 'ref/resource', uri: 'x://nope/{a}' }, argument: { name: 'a', value: '' } },
      { ref: { type: 'ref/other' }, argument: { name: 'a', value: '' } },
      { ref: { type: 'ref/prompt', name: 'greet' } },
    ]) expect((await modern('completion/complete', params)).body.error?.code).toBe(-32602);
  });

  it('caps completion values at 100 with hasMore', async () => {
    const registry = new Registry().prompt({
      name: 'many', arguments: z.object({ x: z.string() }),
      complete: { x: () => Array.from({ length: 150 }, (_, i) => `v${i}`) }, handler: () => 'x',
    });
    const engine = createEngine({ registry, serverInfo: { name: 's', version: '1' } });
    const r = await call(engine, modernRequest('completion/complete', { ref: { type: 'ref/prompt', name: 'many' }, argument: { name: 'x', value: '' } }));
    assertModernResponse('completion/complete', r.body);
    expect(r.body.result?.completion).toMatchObject({ total: 150, hasMore: true });
    expect((r.body.result?.completion as { values: string[] }).values).toHaveLength(100);
    engine.close();
  });

  it('reads fixed resources and template matches', async () => {
    const fixed = await modern('resources/read', { uri: 'test://readme' });
    expect(fixed.body.result?.contents).toEqual([{ uri: 'test://readme', mimeType: 'text/markdown', text: '# Read me' }]);
    const templated = await modern('resources/read', { uri: 'test://users/7' });
    expect(templated.body.result?.contents).toEqual([{ uri: 'test://users/7', mimeType: 'application/json', text: '{"id":"7"}' }]);
  });

  it('answers an unknown resource with -32602 (modern, data.uri) or -32002 (legacy)', async () => {
    const m = await modern('resources/read', { uri: 'test://missing' });
    expect(m.body.error).toMatchObject({ code: -32602, data: { uri: 'test://missing' } });
    const l = await call(t.engine, legacyRequest('resources/read', { uri: 'test://missing' }), fakeExchange({ era: 'legacy', session: legacySession() }));
    expect(l.body.error).toMatchObject({ code: -32002, data: { uri: 'test://missing' } });
    expect((await modern('resources/read', {})).body.error?.code).toBe(-32602);
  });

  it('refuses a scoped resource', async () => {
    const r = await modern('resources/read', { uri: 'test://secret' });
    expect(r).toMatchObject({ status: 403, body: { error: { code: -32010 } } });
  });
});
