/**
 * The official v2 SDK client (@modelcontextprotocol/client 2.4) speaking the stateless
 * 2026-07-28 revision to our server over Streamable HTTP: pinned through
 * `versionNegotiation: { mode: { pin: '2026-07-28' } }` (connect probes with server/discover,
 * then every request carries the per-request _meta envelope and Mcp-Method/Mcp-Name
 * headers). MRTR input_required rounds are fulfilled by the client's own elicitation
 * handler; list changes arrive on a subscriptions/listen stream.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, type ElicitResult, type McpSubscription, type VersionNegotiationMode } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { cancelProbe, deferred, EXAMPLE_TOOLS, startExampleServer, until, type Running } from './support.js';

/** Every POST the client makes, as the server received it. */
interface Sent { headers: Record<string, string>; body: { id?: unknown; method?: string; params?: Record<string, unknown> } }

async function connectV2(url: string, opts: { mode?: VersionNegotiationMode } = {}) {
  const sent: Sent[] = [];
  const recording: typeof fetch = async (input, init) => {
    if (init?.method === 'POST' && typeof init.body === 'string') {
      sent.push({ headers: Object.fromEntries(new Headers(init.headers).entries()), body: JSON.parse(init.body) as Sent['body'] });
    }
    return fetch(input, init);
  };
  const client = new Client({ name: 'v2-test-client', version: '2.0.0' }, {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: opts.mode ?? { pin: '2026-07-28' } },
  });
  const elicited: unknown[] = [];
  client.setRequestHandler('elicitation/create', async (req): Promise<ElicitResult> => {
    if (req.params.message === 'Your name?') return { action: 'accept', content: { value: 'grace' } };
    if (req.params.message === 'Favourite colour?') return { action: 'accept', content: { value: 'navy' } };
    elicited.push(req.params);
    return { action: 'accept', content: { quantity: 2 } };
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: recording });
  await client.connect(transport);
  return { client, transport, sent, elicited };
}

describe('v2 SDK client on 2026-07-28 over Streamable HTTP', () => {
  let srv: Running;
  let c: Awaited<ReturnType<typeof connectV2>>;

  beforeAll(async () => {
    srv = await startExampleServer('stateless');
    c = await connectV2(srv.url);
  });
  afterAll(async () => {
    await c?.client.close();
    await srv?.close();
  });

  it('negotiates the modern era with server/discover, without initialize', () => {
    expect(c.client.getProtocolEra()).toBe('modern');
    expect(c.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(c.client.getServerVersion()).toMatchObject({ name: 'mcp-resource-server', version: '0.1.0-test' });
    expect(c.client.getInstructions()).toBe('Test instance');
    expect(c.client.getDiscoverResult()).toMatchObject({ supportedVersions: expect.arrayContaining(['2026-07-28']), capabilities: { tools: { listChanged: true } } });
    const methods = c.sent.map((s) => s.body.method);
    expect(methods[0]).toBe('server/discover');
    expect(methods).not.toContain('initialize');
  });

  it('lists and calls every example tool with the per-request envelope', async () => {
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...EXAMPLE_TOOLS, 'confirm_order', 'slow_count', 'two_questions', 'wait_for_cancel'].sort());

    const weather = await c.client.callTool({ name: 'get_weather', arguments: { location: 'Paris' } });
    expect(weather.structuredContent).toMatchObject({ location: 'Paris', units: 'celsius' });
    const time = await c.client.callTool({ name: 'get_time', arguments: { timezone: 'Europe/Berlin' } });
    expect(time.structuredContent).toMatchObject({ timezone: 'Europe/Berlin' });
    const who = await c.client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ subject: 'sdk-user', headers: { 'mcp-protocol-version': '2026-07-28' } });
    const notes = await c.client.callTool({ name: 'get_private_notes', arguments: {} });
    expect(notes.content).toHaveLength(3);
    const stats = await c.client.callTool({ name: 'get_called_tools', arguments: {} });
    expect((stats.structuredContent as { counts: unknown[] }).counts).toEqual(expect.arrayContaining([{ name: 'whoami', calls: 1 }]));
    const reset = await c.client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
    expect(reset.structuredContent).toMatchObject({ by: 'sdk-user' });
    const invalid = await c.client.callTool({ name: 'get_time', arguments: { timezone: 'Atlantis/Capital' } });
    expect(invalid.isError).toBe(true);

    const call = c.sent.find((s) => s.body.method === 'tools/call' && s.body.params?.name === 'get_weather')!;
    expect(call.headers).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'get_weather' });
    expect(call.headers['mcp-session-id']).toBeUndefined();
    expect(call.body.params?._meta).toMatchObject({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
      'io.modelcontextprotocol/clientInfo': { name: 'v2-test-client', version: '2.0.0' },
    });
  });

  it('gets every prompt', async () => {
    const { prompts } = await c.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['get_advice', 'help']);
    const advice = await c.client.getPrompt({ name: 'get_advice', arguments: { topic: 'health', actionable: 'false' } });
    expect(advice.messages[0].content).toMatchObject({ type: 'text', text: expect.stringMatching(/^Give me practical advice about health\..*paragraph/) });
    const help = await c.client.getPrompt({ name: 'help' });
    expect(help.description).toBe('How to use this MCP server');
    const get = c.sent.find((s) => s.body.method === 'prompts/get')!;
    expect(get.headers).toMatchObject({ 'mcp-method': 'prompts/get', 'mcp-name': 'get_advice' });
  });

  it('reads a resource and a templated resource', async () => {
    const { resources } = await c.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['info://server']);
    const info = await c.client.readResource({ uri: 'info://server' });
    expect(JSON.parse((info.contents[0] as { text: string }).text).protocolVersions).toContain('2026-07-28');
    const { resourceTemplates } = await c.client.listResourceTemplates();
    expect(resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'weather://{location}' })]);
    const report = await c.client.readResource({ uri: 'weather://Amsterdam' });
    expect(report.contents[0]).toMatchObject({ uri: 'weather://Amsterdam', mimeType: 'text/plain', text: expect.stringMatching(/^Amsterdam: -?\d+ °C/) });
    const read = c.sent.find((s) => s.body.method === 'resources/read' && s.body.params?.uri === 'weather://Amsterdam')!;
    expect(read.headers).toMatchObject({ 'mcp-method': 'resources/read', 'mcp-name': 'weather://Amsterdam' });
  });

  it('completes a prompt argument and a template variable', async () => {
    expect((await c.client.complete({ ref: { type: 'ref/prompt', name: 'get_advice' }, argument: { name: 'topic', value: 'c' } })).completion.values).toEqual(['career']);
    expect((await c.client.complete({ ref: { type: 'ref/resource', uri: 'weather://{location}' }, argument: { name: 'location', value: 'T' } })).completion.values).toEqual(['Tokyo']);
  });

  it('answers an MRTR input_required round automatically with its elicitation handler', async () => {
    const before = c.sent.length;
    const r = await c.client.callTool({ name: 'confirm_order', arguments: { item: 'tea' } });
    expect(r.content).toEqual([{ type: 'text', text: 'Ordered 2 x tea' }]);
    expect(c.elicited).toEqual([expect.objectContaining({ mode: 'form', message: 'Buy tea?' })]);
    // Two POSTs: the first got input_required, the retry carried the answer and requestState.
    const rounds = c.sent.slice(before).filter((s) => s.body.method === 'tools/call');
    expect(rounds).toHaveLength(2);
    expect(rounds[0].body.params?.inputResponses).toBeUndefined();
    expect(rounds[1].body.params).toMatchObject({ name: 'confirm_order', inputResponses: { quantity: { action: 'accept', content: { quantity: 2 } } }, requestState: expect.any(String) });
    expect(rounds[1].body.id).not.toEqual(rounds[0].body.id);
  });

  it('carries earlier answers in requestState across two MRTR rounds', async () => {
    const before = c.sent.length;
    const r = await c.client.callTool({ name: 'two_questions', arguments: {} });
    expect(r.content).toEqual([{ type: 'text', text: 'grace likes navy' }]);
    const rounds = c.sent.slice(before).filter((s) => s.body.method === 'tools/call');
    expect(rounds).toHaveLength(3);
    // The third round answers only the second question; the first answer rides in requestState.
    expect(Object.keys(rounds[2].body.params?.inputResponses as object)).toEqual(['colour']);
    expect(rounds[2].body.params?.requestState).not.toEqual(rounds[1].body.params?.requestState);
  });

  it('cancels by closing the response stream when the caller aborts', async () => {
    const before = { ...cancelProbe };
    const ac = new AbortController();
    const pending = c.client.callTool({ name: 'wait_for_cancel', arguments: {} }, { signal: ac.signal });
    await until(() => cancelProbe.started > before.started, 5000, 'the tool to start');
    ac.abort();
    await expect(pending).rejects.toThrow();
    await until(() => cancelProbe.aborted > before.aborted, 5000, 'the server-side handler to see the cancellation');
    expect((await c.client.callTool({ name: 'get_time', arguments: {} })).isError).toBeUndefined();
  });

  it('receives progress notifications through onprogress', async () => {
    const seen: unknown[] = [];
    const r = await c.client.callTool({ name: 'slow_count', arguments: { n: 2 } }, { onprogress: (p) => { seen.push(p); } });
    expect(r.content).toEqual([{ type: 'text', text: 'counted to 2' }]);
    expect(seen).toEqual([{ progress: 1, total: 2, message: 'step 1 of 2' }, { progress: 2, total: 2, message: 'step 2 of 2' }]);
  });

  it('gets tools/list_changed on a subscriptions/listen stream', async () => {
    const changed = deferred<void>();
    c.client.setNotificationHandler('notifications/tools/list_changed', () => { changed.resolve(); });
    const sub: McpSubscription = await c.client.listen({ toolsListChanged: true });
    try {
      expect(sub.honoredFilter).toEqual({ toolsListChanged: true });
      srv.server.registry.tool(defineTool({ name: 'v2_late_tool', description: 'Registered at run time', input: z.object({}), handler: () => 'late v2' }));
      await changed.promise;
      const { tools } = await c.client.listTools({}, { cacheMode: 'refresh' });
      expect(tools.map((t) => t.name)).toContain('v2_late_tool');
      expect((await c.client.callTool({ name: 'v2_late_tool', arguments: {} })).content).toEqual([{ type: 'text', text: 'late v2' }]);
    } finally {
      await sub.close();
    }
    expect(await sub.closed).toBe('local');
    // The server notices the closed stream and drops the listener.
    const hub = srv.server.engine.services.hub;
    const end = Date.now() + 2000;
    while (hub.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(hub.size).toBe(0);
  });

  it('surfaces protocol errors as errors', async () => {
    await expect(c.client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/no_such_tool/);
    await expect(c.client.readResource({ uri: 'nope://x' })).rejects.toThrow(/Resource not found/);
  });
});

describe('v2 SDK client with versionNegotiation auto', () => {
  let srv: Running;
  beforeAll(async () => { srv = await startExampleServer('sessions'); });
  afterAll(async () => { await srv?.close(); });

  it('picks 2026-07-28 from server/discover even when the server also offers sessions', async () => {
    const c = await connectV2(srv.url, { mode: 'auto' });
    try {
      expect(c.client.getProtocolEra()).toBe('modern');
      expect(c.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const r = await c.client.callTool({ name: 'get_weather', arguments: { location: 'London' } });
      expect(r.structuredContent).toMatchObject({ location: 'London' });
      expect(c.sent.every((s) => s.headers['mcp-session-id'] === undefined)).toBe(true);
    } finally {
      await c.client.close();
    }
  });

  it('falls back to initialize in legacy mode', async () => {
    const c = await connectV2(srv.url, { mode: 'legacy' });
    try {
      expect(c.client.getProtocolEra()).toBe('legacy');
      expect(c.sent[0].body.method).toBe('initialize');
      const r = await c.client.callTool({ name: 'confirm_order', arguments: { item: 'cake' } });
      expect(r.content).toEqual([{ type: 'text', text: 'Ordered 2 x cake' }]);
    } finally {
      await c.client.close();
    }
  });
});
