/**
 * The official v2 SDK client (@modelcontextprotocol/client, 2026-07-28 over Streamable HTTP)
 * drives generate_report as a task (io.modelcontextprotocol/tasks): it declares the extension
 * in its capabilities, gets a task handle from tools/call, polls tasks/get (progress shows as
 * the statusMessage), cancels with tasks/cancel, and a second principal, on its own
 * connection, is told the task does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { lifespan, prompts, resources, templates, tools } from '../../services/mcp-server/src/catalog.js';
import { createApp } from '../../services/mcp-server/src/http/app.js';
import { localPrincipal } from '../../services/mcp-server/src/mcp/principal.js';
import { TASKS_EXTENSION } from '../../services/mcp-server/src/mcp/tasks/task-records.js';
import { createMcpServer, type McpServer } from '../../services/mcp-server/src/server.js';
import { ALL_SCOPES } from './support.js';

const Loose = z.looseObject({});
type Loose = z.infer<typeof Loose>;

let server: McpServer;
let http: Server;
let url: string;

beforeAll(async () => {
  server = await createMcpServer({ serverInfo: { name: 'mcp-resource-server', version: '0.1.0-test' }, tools, prompts, resources, templates, lifespan, tasks: { pollIntervalMs: 100 } });
  const { app } = createApp({
    engine: server.engine,
    // Two users of one client: the test header picks who is calling.
    authenticate: (req) => localPrincipal(String(req.headers['x-test-user'] ?? 'alice'), ALL_SCOPES, 'sdk-client'),
    sessions: 'stateless',
    origin: { allowedOrigins: ['http://127.0.0.1:*'], allowedHosts: ['127.0.0.1'] },
  });
  http = app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  await server.close();
});

async function connect(user: string): Promise<Client> {
  const client = new Client({ name: 'v2-tasks-client', version: '2.0.0' }, {
    capabilities: { extensions: { [TASKS_EXTENSION]: {} } },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { 'x-test-user': user } } }));
  return client;
}

const request = (c: Client, method: string, params: Record<string, unknown>): Promise<Loose> => c.request({ method, params } as never, Loose);

/**
 * tools/call that may answer with a task. The v2 client's 2026-07-28 codec refuses
 * `resultType: "task"` on tools/call without @modelcontextprotocol/ext-tasks and its raw
 * dispatch path, so the creating call is framed here the way the client frames every request.
 */
let rawId = 1000;
async function startTask(user: string, name: string, args: Record<string, unknown>): Promise<Loose> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name, 'x-test-user': user },
    body: JSON.stringify({ jsonrpc: '2.0', id: rawId++, method: 'tools/call', params: { name, arguments: args, _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'v2-tasks-client', version: '2.0.0' },
      'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
    } } }),
  });
  return ((await res.json()) as { result: Loose }).result;
}

async function poll(c: Client, taskId: string, done: (t: Loose) => boolean): Promise<Loose[]> {
  const seen: Loose[] = [];
  for (let i = 0; i < 100; i++) {
    const t = await request(c, 'tasks/get', { taskId });
    seen.push(t);
    if (done(t)) return seen;
    await new Promise((r) => setTimeout(r, Number(t.pollIntervalMs ?? 100)));
  }
  throw new Error(`task ${taskId} never reached the expected state`);
}

describe('v2 SDK client drives generate_report as a task', () => {
  it('starts, reports progress, completes, and refuses another principal', async () => {
    const alice = await connect('alice');
    expect(alice.getDiscoverResult()?.capabilities).toMatchObject({ extensions: { [TASKS_EXTENSION]: {} } });
    const created = await startTask('alice', 'generate_report', { topic: 'tides', steps: 3 });
    expect(created).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.any(String), pollIntervalMs: 100 });
    const taskId = created.taskId as string;

    const seen = await poll(alice, taskId, (t) => t.status === 'completed');
    expect(seen.map((t) => t.statusMessage)).toEqual(expect.arrayContaining(['step 1 of 3']));
    const done = seen.at(-1)!;
    expect(done).toMatchObject({ status: 'completed', result: { structuredContent: { topic: 'tides', steps: 3 } } });

    const bob = await connect('bob');
    await expect(request(bob, 'tasks/get', { taskId })).rejects.toMatchObject({ code: -32602 });
    await expect(request(bob, 'tasks/cancel', { taskId })).rejects.toMatchObject({ code: -32602 });
    await alice.close();
    await bob.close();
  });

  it('keeps running after the client disconnects, and stops on tasks/cancel from a new connection', async () => {
    const first = await connect('alice');
    const { taskId } = await startTask('alice', 'generate_report', { topic: 'storms', steps: 20 });
    await first.close();
    const second = await connect('alice');
    await poll(second, taskId as string, (t) => typeof t.statusMessage === 'string');
    // The empty acknowledgement (the client's codec strips resultType "complete").
    expect(await request(second, 'tasks/cancel', { taskId })).toEqual({ _meta: expect.any(Object) });
    const [end] = (await poll(second, taskId as string, (t) => t.status !== 'working')).slice(-1);
    expect(end).toMatchObject({ status: 'cancelled' });
    expect(end).not.toHaveProperty('result');
    await second.close();
  });

  it('answers a client without the extension with the plain report, as before', async () => {
    const plain = new Client({ name: 'v2-plain', version: '2.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await plain.connect(new StreamableHTTPClientTransport(new URL(url)));
    const r = await plain.callTool({ name: 'generate_report', arguments: { topic: 'fog', steps: 1 } });
    expect(r.structuredContent).toMatchObject({ topic: 'fog', steps: 1 });
    await plain.close();
  });
});
