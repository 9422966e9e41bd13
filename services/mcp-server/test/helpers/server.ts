/**
 * A small server with inline test tools, prompts and resources, as an engine (no HTTP) or
 * started with createApp on 127.0.0.1:0.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { z } from 'zod';
import { createApp, type AppOptions } from '../../src/http/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createHttpServer, httpLimitsFromConfig, type HttpServerLimits } from '../../src/http/http-server.js';
import type { McpEndpoint } from '../../src/http/mcp-endpoint.js';
import { definePrompt, defineResource, defineResourceTemplate, defineTool } from '../../src/mcp/define.js';
import { ToolError } from '../../src/mcp/errors.js';
import type { Engine, EngineOptions } from '../../src/mcp/engine.js';
import { localPrincipal, type Principal } from '../../src/mcp/principal.js';
import type { Registry } from '../../src/mcp/registry.js';
import type { AuditEvent } from '../../src/mcp/services.js';
import { createMcpServer } from '../../src/server.js';

/** Observations the test tools record for the tests. */
export interface Probe {
  /** Set when the `wait` tool's signal aborts. */
  aborted: boolean;
  /** Resolves when the `wait` tool has started. */
  started: Promise<void>;
  /** Resolves when the `wait` tool saw its signal abort. */
  abortSeen: Promise<void>;
  audits: AuditEvent[];
  /** What `whoami` saw as headers last time. */
  lastHeaders?: Readonly<Record<string, string>>;
}

function newProbe(): Probe & { markStarted(): void; markAborted(): void } {
  let markStarted!: () => void;
  let markAborted!: () => void;
  const started = new Promise<void>((r) => { markStarted = r; });
  const abortSeen = new Promise<void>((r) => { markAborted = r; });
  return { aborted: false, started, abortSeen, audits: [], markStarted, markAborted };
}

const SCHEMA = { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] } as const;

function catalogue(probe: ReturnType<typeof newProbe>) {
  const tools = [
    defineTool({
      name: 'echo', description: 'Echo the text back', input: z.object({ text: z.string().max(100) }),
      handler: ({ text }) => text,
    }),
    defineTool({
      name: 'add', description: 'Add two numbers', input: z.object({ a: z.number(), b: z.number() }),
      output: z.object({ sum: z.number() }),
      handler: ({ a, b }) => ({ sum: a + b }),
    }),
    defineTool({
      name: 'crash', description: 'Throws an internal error',
      handler: () => { throw new Error('ENOENT: /srv/secret/db.sqlite at Object.<anonymous> (/app/src/db.ts:12:7)'); },
    }),
    defineTool({
      name: 'refuse', description: 'Throws a ToolError', handler: () => { throw new ToolError('Quota exceeded, try tomorrow'); },
    }),
    defineTool({
      name: 'bad_output', description: 'Violates its output schema', output: z.object({ n: z.number() }),
      handler: () => ({ n: 'not a number' }) as unknown as { n: number },
    }),
    defineTool({
      name: 'admin_only', description: 'Needs mcp:admin', scopes: ['mcp:admin'], handler: () => 'admin ok',
    }),
    defineTool({
      name: 'ask', description: 'Asks two questions in two rounds', input: z.object({ topic: z.string().optional() }),
      handler: async (_input, ctx) => {
        const a = await ctx.input.elicit({ mode: 'form', message: 'Your name?', requestedSchema: { ...SCHEMA } }, 'name');
        const b = await ctx.input.elicit({ mode: 'form', message: 'Favourite colour?', requestedSchema: { ...SCHEMA } }, 'colour');
        const name = (a.content as { value?: string } | undefined)?.value;
        const colour = (b.content as { value?: string } | undefined)?.value;
        return `${name} likes ${colour}`;
      },
    }),
    defineTool({
      name: 'sample', description: 'Asks the client model',
      handler: async (_input, ctx) => {
        const r = await ctx.input.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 }, 'llm');
        return `model said ${JSON.stringify(r.content)}`;
      },
    }),
    defineTool({
      name: 'progress', description: 'Reports progress',
      handler: (_input, ctx) => { ctx.progress(1, 2, 'half way'); ctx.progress(2, 2); return 'done'; },
    }),
    defineTool({
      name: 'log', description: 'Logs at debug and error',
      handler: (_input, ctx) => { ctx.sendLog('debug', 'a debug line'); ctx.sendLog('error', { problem: 'an error line' }, 'test'); return 'logged'; },
    }),
    defineTool({
      name: 'wait', description: 'Waits until cancelled',
      handler: (_input, ctx) => new Promise<string>((resolve) => {
        probe.markStarted();
        ctx.signal.addEventListener('abort', () => { probe.aborted = true; probe.markAborted(); resolve('cancelled'); }, { once: true });
      }),
    }),
    defineTool({
      name: 'whoami', description: 'Reports the caller',
      handler: (_input, ctx) => { probe.lastHeaders = ctx.headers; return { content: [{ type: 'text' as const, text: ctx.principal.subject }] }; },
    }),
  ];
  const prompts = [
    definePrompt({
      name: 'greet', description: 'Greets someone',
      arguments: z.object({ name: z.string().describe('Who to greet') }),
      complete: { name: (value) => ['alice', 'albert', 'bob'].filter((n) => n.startsWith(value)) },
      handler: ({ name }) => `Say hello to ${name}`,
    }),
  ];
  const resources = [
    defineResource({ uri: 'test://readme', name: 'readme', mimeType: 'text/markdown', read: () => '# Read me' }),
    defineResource({ uri: 'test://secret', name: 'secret', scopes: ['mcp:admin'], read: () => 'classified' }),
  ];
  const templates = [
    defineResourceTemplate({
      uriTemplate: 'test://users/{id}', name: 'user', mimeType: 'application/json',
      complete: { id: (value) => ['1', '2', '10'].filter((v) => v.startsWith(value)) },
      read: (uri, vars) => [{ uri, mimeType: 'application/json', text: JSON.stringify({ id: vars.id }) }],
    }),
  ];
  return { tools, prompts, resources, templates };
}

/** An engine over the test catalogue. */
export interface TestEngine {
  engine: Engine;
  registry: Registry;
  probe: Probe;
  /** The public McpServer.resourceUpdated. */
  resourceUpdated(uri: string): void;
  close(): Promise<void>;
}

/** Build the engine (no transport). */
export async function buildTestEngine(opts: Partial<Omit<EngineOptions, 'registry'>> = {}): Promise<TestEngine> {
  const probe = newProbe();
  const server = await createMcpServer({
    serverInfo: { name: 'test-server', version: '1.2.3' },
    secret: 'a-test-secret-that-is-at-least-32-characters-long',
    onAudit: (e) => { probe.audits.push(e); },
    ...catalogue(probe),
    ...opts,
  });
  return { engine: server.engine, registry: server.registry, probe, resourceUpdated: (uri) => server.resourceUpdated(uri), close: () => server.close() };
}

/** Header naming the test principal; `x-test-scopes` overrides its scopes. */
export const PRINCIPAL_HEADER = 'x-test-principal';

/** Authenticate from the test headers (default alice with the standard scopes). */
export function testAuthenticate(req: IncomingMessage): Principal {
  const subject = String(req.headers[PRINCIPAL_HEADER] ?? 'alice');
  const scopesHeader = req.headers['x-test-scopes'];
  const scopes = typeof scopesHeader === 'string' ? scopesHeader.split(' ').filter(Boolean) : ['mcp:tools', 'mcp:prompts', 'mcp:resources'];
  return { ...localPrincipal(subject, scopes, 'test-client'), issuer: 'https://as.example' };
}

/** HTTP limits of the test servers: the shipped defaults, derived from config.ts rather than copied. */
export const TEST_LIMITS: HttpServerLimits = httpLimitsFromConfig(loadConfig({}));

/** A running test server. */
export interface TestServer extends TestEngine {
  url: string;
  origin: string;
  app: Express;
  endpoint: McpEndpoint;
  http: Server;
}

/** Start createApp on 127.0.0.1:0 over the test catalogue. */
export async function startTestServer(opts: Partial<Omit<AppOptions, 'engine'>> & { engineOptions?: Partial<Omit<EngineOptions, 'registry'>> } = {}): Promise<TestServer> {
  const { engineOptions, ...appOptions } = opts;
  const built = await buildTestEngine(engineOptions);
  const { app, handler, endpoint } = createApp({
    engine: built.engine,
    authenticate: testAuthenticate,
    origin: { allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'], allowedHosts: ['localhost', '127.0.0.1', '[::1]'] },
    ...appOptions,
  });
  // Served as the binary serves it (start-http.ts): the node:http listener on a HeadResponse
  // server, no Express on the MCP path. `app` is returned for tests of the Express mount.
  const http = createHttpServer(handler, TEST_LIMITS).listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    ...built,
    app,
    endpoint,
    http,
    origin,
    url: `${origin}${opts.path ?? '/mcp'}`,
    async close() {
      endpoint.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await built.close();
    },
  };
}
