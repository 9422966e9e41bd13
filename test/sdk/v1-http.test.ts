/**
 * The official v1 SDK client (@modelcontextprotocol/sdk 1.32, protocol 2025-11-25 through
 * initialize) over Streamable HTTP against our server, stateless and with sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { cancelProbe, deferred, EXAMPLE_TOOLS, startExampleServer, until, type Running } from './support.js';

type Mode = 'stateless' | 'sessions';

interface Connected { client: Client; transport: StreamableHTTPClientTransport; elicited: unknown[] }

async function connect(url: string, opts: { sessionId?: string } = {}): Promise<Connected> {
  const client = new Client({ name: 'v1-test-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  const elicited: unknown[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    if (req.params.message === 'Your name?') return { action: 'accept', content: { value: 'ada' } };
    if (req.params.message === 'Favourite colour?') return { action: 'accept', content: { value: 'teal' } };
    elicited.push(req.params);
    return { action: 'accept', content: { quantity: 3 } };
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), opts.sessionId ? { sessionId: opts.sessionId } : undefined);
  await client.connect(transport);
  return { client, transport, elicited };
}

describe.each<Mode>(['stateless', 'sessions'])('v1 SDK client over Streamable HTTP (%s)', (mode) => {
  let srv: Running;
  let client: Client;
  let transport: StreamableHTTPClientTransport;
  let elicited: unknown[];

  beforeAll(async () => {
    srv = await startExampleServer(mode);
    ({ client, transport, elicited } = await connect(srv.url));
  });
  afterAll(async () => {
    await client?.close();
    await srv?.close();
  });

  it('negotiates 2025-11-25 and learns our identity and capabilities', () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'mcp-resource-server', version: '0.1.0-test' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: { listChanged: true }, resources: { subscribe: true, listChanged: true }, completions: {} });
    expect(client.getInstructions()).toBe('Test instance');
    expect(transport.protocolVersion).toBe('2025-11-25');
    if (mode === 'sessions') expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    else expect(transport.sessionId).toBeUndefined();
  });

  it('lists every example tool (all scopes) with schemas the client accepts', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...EXAMPLE_TOOLS, 'confirm_order', 'slow_count', 'two_questions', 'wait_for_cancel'].sort());
    expect(tools.find((t) => t.name === 'get_weather')?.outputSchema).toMatchObject({ type: 'object' });
  });

  it('calls every example tool', async () => {
    const weather = await client.callTool({ name: 'get_weather', arguments: { location: 'Berlin', units: 'fahrenheit' } });
    expect(weather.structuredContent).toEqual({ location: 'Berlin', temperature: 61, units: 'fahrenheit', condition: 'sunny', humidity: 29 });

    const time = await client.callTool({ name: 'get_time', arguments: { timezone: 'Asia/Tokyo' } });
    expect(time.structuredContent).toMatchObject({ timezone: 'Asia/Tokyo' });
    const badZone = await client.callTool({ name: 'get_time', arguments: { timezone: 'Nowhere/Land' } });
    expect(badZone.isError).toBe(true);

    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ subject: 'sdk-user', clientId: 'sdk-client', headers: { 'mcp-protocol-version': '2025-11-25' } });

    const notes = await client.callTool({ name: 'get_private_notes', arguments: { limit: 2 } });
    expect(notes.content).toEqual([{ type: 'text', text: 'Note 1 for sdk-user' }, { type: 'text', text: 'Note 2 for sdk-user' }]);

    const stats = await client.callTool({ name: 'get_called_tools', arguments: {} });
    const counts = (stats.structuredContent as { counts: { name: string; calls: number }[] }).counts;
    expect(counts).toEqual(expect.arrayContaining([{ name: 'get_weather', calls: 1 }, { name: 'get_time', calls: 2 }, { name: 'whoami', calls: 1 }, { name: 'get_private_notes', calls: 1 }]));

    const reset = await client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
    expect(reset.structuredContent).toEqual({ cleared: 6, by: 'sdk-user' });

    const invalid = await client.callTool({ name: 'get_weather', arguments: { units: 'kelvin' } });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as { text: string }[])[0].text).toMatch(/Invalid arguments for tool get_weather/);
  });

  it('gets every prompt', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['get_advice', 'help']);
    const advice = await client.getPrompt({ name: 'get_advice', arguments: { topic: 'learning', actionable: 'true' } });
    expect(advice.description).toBe('Advice on learning');
    expect(advice.messages[0].content).toMatchObject({ type: 'text', text: expect.stringMatching(/numbered list/) });
    const help = await client.getPrompt({ name: 'help' });
    expect(help.messages[0].content).toMatchObject({ type: 'text', text: expect.stringContaining('I am signed in as sdk-user') });
  });

  it('reads a resource and a templated resource', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['info://server']);
    const info = await client.readResource({ uri: 'info://server' });
    expect(JSON.parse((info.contents[0] as { text: string }).text)).toMatchObject({ name: 'mcp-resource-server' });
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['weather://{location}']);
    const report = await client.readResource({ uri: 'weather://Tokyo' });
    expect(report.contents).toEqual([{ uri: 'weather://Tokyo', mimeType: 'text/plain', text: 'Tokyo: 30 °C, sunny, humidity 89 %' }]);
  });

  it('completes a prompt argument and a template variable', async () => {
    const p = await client.complete({ ref: { type: 'ref/prompt', name: 'get_advice' }, argument: { name: 'topic', value: 'pro' } });
    expect(p.completion).toEqual({ values: ['productivity'], total: 1, hasMore: false });
    const t = await client.complete({ ref: { type: 'ref/resource', uri: 'weather://{location}' }, argument: { name: 'location', value: 'l' } });
    expect(t.completion.values).toEqual(['London']);
  });

  it('answers an elicitation request the tool sends on the response stream', async () => {
    const r = await client.callTool({ name: 'confirm_order', arguments: { item: 'coffee' } });
    expect(r.isError).toBeUndefined();
    expect(r.content).toEqual([{ type: 'text', text: 'Ordered 3 x coffee' }]);
    expect(elicited).toEqual([expect.objectContaining({ mode: 'form', message: 'Buy coffee?', requestedSchema: expect.objectContaining({ required: ['quantity'] }) })]);
  });

  it('receives progress notifications through onprogress, in order', async () => {
    const seen: Progress[] = [];
    const r = await client.callTool({ name: 'slow_count', arguments: { n: 3 } }, undefined, { onprogress: (p) => { seen.push(p); } });
    expect(r.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
    expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i} of 3` })));
  });

  it('cancels a running tool when the client aborts (notifications/cancelled)', async () => {
    const before = { ...cancelProbe };
    const ac = new AbortController();
    const pending = client.callTool({ name: 'wait_for_cancel', arguments: {} }, undefined, { signal: ac.signal });
    await until(() => cancelProbe.started > before.started, 5000, 'the tool to start');
    ac.abort('user gave up');
    await expect(pending).rejects.toThrow();
    await until(() => cancelProbe.aborted > before.aborted, 5000, 'the server-side handler to see the cancellation');
    // The connection is still usable.
    expect((await client.callTool({ name: 'get_time', arguments: {} })).isError).toBeUndefined();
  });

  it('answers elicitations asked in sequence by one tool', async () => {
    const r = await client.callTool({ name: 'two_questions', arguments: {} });
    expect(r.content).toEqual([{ type: 'text', text: 'ada likes teal' }]);
  });

  it('counts 50 concurrent calls from the client exactly', async () => {
    await client.callTool({ name: 'admin_reset_stats', arguments: { confirm: true } });
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.callTool({ name: 'get_weather', arguments: { location: `Town ${i}` } })));
    const stats = await client.callTool({ name: 'get_called_tools', arguments: {} });
    expect((stats.structuredContent as { counts: unknown[] }).counts).toEqual([{ name: 'admin_reset_stats', calls: 1 }, { name: 'get_weather', calls: 50 }]);
  });

  it('reports protocol errors (unknown tool, bad prompt arguments) as JSON-RPC errors', async () => {
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Unknown tool: no_such_tool/);
    await expect(client.getPrompt({ name: 'get_advice', arguments: {} })).rejects.toThrow(/Invalid arguments for prompt get_advice/);
  });

  if (mode === 'sessions') {
    it('delivers tools/list_changed on the GET stream when a tool is registered', async () => {
      const changed = deferred<void>();
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => { changed.resolve(); });
      // The client opens the GET stream after initialization; wait until the server holds it.
      await until(() => srv.server.engine.services.hub.size > 0, 5000, 'the GET stream');
      srv.server.registry.tool(defineTool({ name: 'late_tool', description: 'Registered at run time', input: z.object({}), handler: () => 'late' }));
      await changed.promise;
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('late_tool');
      expect(await client.callTool({ name: 'late_tool', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'late' }] });
    });

    it('terminateSession sends DELETE; the old session id then gets 404', async () => {
      const second = await connect(srv.url);
      const id = second.transport.sessionId!;
      expect(id).toBeDefined();
      expect((await second.client.listTools()).tools.length).toBeGreaterThan(0);
      await second.transport.terminateSession();
      expect(second.transport.sessionId).toBeUndefined();
      await second.client.close();

      // A client resuming the terminated session is told it no longer exists.
      const resumed = await connect(srv.url, { sessionId: id });
      const err = await resumed.client.listTools().then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 404, message: expect.stringContaining('Session not found') });
      await resumed.client.close();

      // And on the wire: 404 for POST, GET and DELETE with the dead id.
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': id };
      const post = await fetch(srv.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      expect(post.status).toBe(404);
      expect(await post.json()).toMatchObject({ error: { code: -32600 } });
      const get = await fetch(srv.url, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': id } });
      expect(get.status).toBe(404);
      await get.body?.cancel();
      const del = await fetch(srv.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
      expect(del.status).toBe(404);

      // The first client's session is untouched.
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    });
  } else {
    it('has no GET stream or DELETE without sessions (405)', async () => {
      const get = await fetch(srv.url, { method: 'GET', headers: { accept: 'text/event-stream' } });
      expect(get.status).toBe(405);
      const del = await fetch(srv.url, { method: 'DELETE' });
      expect(del.status).toBe(405);
      // terminateSession is a no-op without a session id.
      await transport.terminateSession();
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    });
  }
});
