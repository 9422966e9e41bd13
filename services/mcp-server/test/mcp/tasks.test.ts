/**
 * The tasks extension over the engine: two replicas share one MemoryStore, as two pods share
 * Redis. Task state lives in the store, so any replica answers tasks/get; cancellation and
 * answers reach the replica running the handler over pub/sub; a task is bound to its principal.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool } from '../../src/mcp/define.js';
import { TASKS_EXTENSION } from '../../src/mcp/tasks/task-records.js';
import { createMcpServer, type McpServer } from '../../src/server.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { ALICE, BOB, call, fakeExchange, firstText, modernRequest } from '../helpers/exchange.js';

const TASKS = { extensions: { [TASKS_EXTENSION]: {} }, elicitation: {} };
const probe = { aborted: 0 };
const tools = [
  defineTool({
    name: 'job', description: 'Waits until released or cancelled', task: 'optional',
    input: z.object({ ms: z.number().int().min(0) }),
    handler: async ({ ms }, ctx) => {
      ctx.progress(1, 2, 'halfway');
      try { await sleep(ms, undefined, { signal: ctx.signal }); } catch (e) { probe.aborted++; throw e; }
      return `slept ${ms}`;
    },
  }),
  defineTool({
    name: 'ask', description: 'Asks in a task', task: 'required',
    handler: async (_a, ctx) => `got ${String((await ctx.input.elicit({ mode: 'form', message: 'x?', requestedSchema: { type: 'object', properties: {} } }, 'q')).action)}`,
  }),
];

let store: MemoryStore;
let a: McpServer;
let b: McpServer;
beforeEach(async () => {
  store = new MemoryStore({ sweepMs: 0 });
  const opts = { serverInfo: { name: 't', version: '1' }, tools, store, tasks: { maxPerPrincipal: 2, pollIntervalMs: 50 } };
  [a, b] = [await createMcpServer(opts), await createMcpServer(opts)];
});
afterEach(async () => { await a.close(); await b.close(); await store.close(); });

const req = (s: McpServer, method: string, params: Record<string, unknown>, principal = ALICE, capabilities: Record<string, unknown> = TASKS) =>
  call(s.engine, modernRequest(method, params, { capabilities }), fakeExchange({ principal }));
async function settle(s: McpServer, taskId: string, principal = ALICE) {
  for (let i = 0; i < 200; i++) {
    const r = await req(s, 'tasks/get', { taskId }, principal);
    if (['completed', 'failed', 'cancelled'].includes(r.body.result?.status as string)) return r.body.result!;
    await sleep(10);
  }
  throw new Error('task did not settle');
}

describe('tasks (io.modelcontextprotocol/tasks)', () => {
  it('runs on one replica and is read, with its progress and result, from the other', async () => {
    const created = (await req(a, 'tools/call', { name: 'job', arguments: { ms: 30 } })).body.result!;
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 3_600_000, pollIntervalMs: 50 });
    expect(created).not.toHaveProperty('owner');
    const seen = await req(b, 'tasks/get', { taskId: created.taskId });
    expect(seen.body.result).toMatchObject({ resultType: 'complete', taskId: created.taskId });
    const done = await settle(b, created.taskId as string);
    expect(done).toMatchObject({ status: 'completed', statusMessage: 'halfway', result: { content: [{ type: 'text', text: 'slept 30' }] } });
  });

  it('runs plainly for a client without the extension, and refuses a required-task tool with -32021', async () => {
    const plain = await req(a, 'tools/call', { name: 'job', arguments: { ms: 0 } }, ALICE, {});
    expect(firstText(plain.body.result)).toBe('slept 0');
    const refused = await req(a, 'tools/call', { name: 'ask', arguments: {} }, ALICE, {});
    expect(refused.body.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } });
    expect((await req(a, 'tasks/get', { taskId: 'x' }, ALICE, {})).body.error?.code).toBe(-32021);
  });

  it('shows a task only to the principal that created it', async () => {
    const { taskId } = (await req(a, 'tools/call', { name: 'job', arguments: { ms: 10_000 } })).body.result!;
    for (const m of ['tasks/get', 'tasks/cancel']) {
      const r = await req(b, m, { taskId }, BOB);
      expect(r.body.error).toMatchObject({ code: -32602, message: expect.stringMatching(/not found/) });
    }
    expect((await req(b, 'tasks/get', { taskId })).body.result?.status).toBe('working');
    await req(a, 'tasks/cancel', { taskId });
  });

  it('cancels from the other replica: the handler sees its signal; the HTTP request never mattered', async () => {
    const before = probe.aborted;
    const { taskId } = (await req(a, 'tools/call', { name: 'job', arguments: { ms: 10_000 } })).body.result!;
    expect((await req(b, 'tasks/cancel', { taskId })).body.result).toEqual({ resultType: 'complete', _meta: expect.any(Object) });
    expect(await settle(b, taskId as string)).toMatchObject({ status: 'cancelled' });
    for (let i = 0; i < 100 && probe.aborted === before; i++) await sleep(5);
    expect(probe.aborted).toBe(before + 1);
  });

  it('parks for input and resumes on tasks/update sent to the other replica', async () => {
    const { taskId } = (await req(a, 'tools/call', { name: 'ask', arguments: {} })).body.result!;
    let r = await req(b, 'tasks/get', { taskId });
    for (let i = 0; i < 100 && r.body.result?.status !== 'input_required'; i++) { await sleep(5); r = await req(b, 'tasks/get', { taskId }); }
    expect(r.body.result).toMatchObject({ status: 'input_required', inputRequests: { q: { method: 'elicitation/create' } } });
    await req(b, 'tasks/update', { taskId, inputResponses: { q: { action: 'accept', content: {} }, other: { action: 'accept' } } });
    expect(await settle(b, taskId as string)).toMatchObject({ status: 'completed', result: { content: [{ text: 'got accept' }] } });
  });

  it('caps running tasks per principal with MCP_MAX_TASKS_PER_PRINCIPAL, and frees the slot when one ends', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push((await req(a, 'tools/call', { name: 'job', arguments: { ms: 10_000 } })).body.result!.taskId);
    const third = await req(b, 'tools/call', { name: 'job', arguments: { ms: 10_000 } });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: -32011, data: { limit: 'MCP_MAX_TASKS_PER_PRINCIPAL', max: 2 } });
    expect((await req(b, 'tools/call', { name: 'job', arguments: { ms: 0 } }, BOB)).body.result?.resultType).toBe('task');
    await req(a, 'tasks/cancel', { taskId: ids[0] });
    await settle(a, ids[0] as string);
    let again = await req(a, 'tools/call', { name: 'job', arguments: { ms: 0 } });
    for (let i = 0; i < 50 && again.body.error; i++) { await sleep(5); again = await req(a, 'tools/call', { name: 'job', arguments: { ms: 0 } }); }
    expect(again.body.result?.resultType).toBe('task');
    await req(a, 'tasks/cancel', { taskId: ids[1] });
  });

  it('fails the tasks still running when the server shuts down', async () => {
    const { taskId } = (await req(a, 'tools/call', { name: 'job', arguments: { ms: 10_000 } })).body.result!;
    await a.close();
    expect((await req(b, 'tasks/get', { taskId })).body.result).toMatchObject({ status: 'failed', error: { code: -32603 } });
  });
});
