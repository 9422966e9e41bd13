/**
 * The example server as SDK clients meet it: the shipped catalogue plus two small test
 * tools (one that asks the user through ctx.input.elicit, one that reports progress),
 * composed as main.ts composes it and served as the binary serves it (createApp's node:http
 * listener on createHttpServer) on 127.0.0.1:0.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { lifespan, prompts, resources, templates, tools } from '../../services/mcp-server/src/catalog.js';
import { createApp } from '../../services/mcp-server/src/http/app.js';
import { createHttpServer } from '../../services/mcp-server/src/http/http-server.js';
import { TEST_LIMITS } from '../../services/mcp-server/test/helpers/server.js';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { localPrincipal } from '../../services/mcp-server/src/mcp/principal.js';
import { createMcpServer, type McpServer } from '../../services/mcp-server/src/server.js';

/** Every scope the examples use. */
export const ALL_SCOPES = ['mcp:tools', 'mcp:prompts', 'mcp:resources', 'mcp:private', 'mcp:admin'];

/** The names of the shipped example tools, sorted. */
export const EXAMPLE_TOOLS = ['admin_reset_stats', 'generate_report', 'get_called_tools', 'get_private_notes', 'get_time', 'get_weather', 'whoami'];

/** A tool that asks the user to confirm through elicitation (form mode). */
export const confirmOrder = defineTool({
  name: 'confirm_order',
  description: 'Asks the user to confirm an order (elicitation round-trip)',
  input: z.object({ item: z.string() }),
  handler: async ({ item }, ctx) => {
    const answer = await ctx.input.elicit({
      mode: 'form',
      message: `Buy ${item}?`,
      requestedSchema: { type: 'object', properties: { quantity: { type: 'integer', minimum: 1 } }, required: ['quantity'] },
    }, 'quantity');
    if (answer.action !== 'accept') return `Order for ${item} ${String(answer.action)}`;
    const quantity = (answer.content as { quantity?: number } | undefined)?.quantity;
    return `Ordered ${quantity} x ${item}`;
  },
});

/** A tool that reports progress three times before answering. */
export const slowCount = defineTool({
  name: 'slow_count',
  description: 'Counts to n, reporting progress',
  input: z.object({ n: z.number().int().min(1).max(10) }),
  handler: async ({ n }, ctx) => {
    for (let i = 1; i <= n; i++) {
      await new Promise((r) => setTimeout(r, 5));
      ctx.progress(i, n, `step ${i} of ${n}`);
    }
    return `counted to ${n}`;
  },
});

/** What the `wait_for_cancel` tool observed. */
export const cancelProbe = { started: 0, aborted: 0 };

/** A tool that runs until its request is cancelled (or 10 s pass). */
export const waitForCancel = defineTool({
  name: 'wait_for_cancel',
  description: 'Blocks until the request is cancelled',
  handler: (_input, ctx) => new Promise<string>((resolve) => {
    cancelProbe.started++;
    const timer = setTimeout(() => resolve('not cancelled'), 10_000);
    ctx.signal.addEventListener('abort', () => { cancelProbe.aborted++; clearTimeout(timer); resolve('cancelled'); }, { once: true });
  }),
});

/** A tool that asks two questions in two MRTR rounds (two elicitations in sequence). */
export const twoQuestions = defineTool({
  name: 'two_questions',
  description: 'Asks for a name, then a colour',
  handler: async (_input, ctx) => {
    const schema = { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] };
    const a = await ctx.input.elicit({ mode: 'form', message: 'Your name?', requestedSchema: schema }, 'name');
    const b = await ctx.input.elicit({ mode: 'form', message: 'Favourite colour?', requestedSchema: schema }, 'colour');
    return `${(a.content as { value?: string }).value} likes ${(b.content as { value?: string }).value}`;
  },
});

/** A running server. */
export interface Running {
  url: string;
  server: McpServer;
  close(): Promise<void>;
}

/** Compose the example server and serve it over HTTP on 127.0.0.1:0. */
export async function startExampleServer(sessions: 'stateless' | 'sessions'): Promise<Running> {
  const server: McpServer = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: '0.1.0-test' },
    instructions: 'Test instance',
    tools: [...tools, confirmOrder, slowCount, waitForCancel, twoQuestions], prompts, resources, templates, lifespan,
    onAudit: (event) => server.engine.services.state.calledTools.record(event),
  });
  const { handler, endpoint } = createApp({
    engine: server.engine,
    authenticate: () => localPrincipal('sdk-user', ALL_SCOPES, 'sdk-client'),
    sessions,
    origin: { allowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'], allowedHosts: ['127.0.0.1', 'localhost'] },
  });
  // As the binary serves it (start-http.ts): the node:http listener, no Express on the MCP path.
  const http: Server = createHttpServer(handler, TEST_LIMITS).listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  return {
    url,
    server,
    async close() {
      endpoint.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await server.close();
    },
  };
}

/** Resolve when `predicate` holds, polling briefly; reject after `ms`. */
export async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise with its resolver. */
export function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
