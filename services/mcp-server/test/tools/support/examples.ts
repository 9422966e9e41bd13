/**
 * The shipped example catalogue composed the way `main.ts` composes it (audit hook feeding
 * the call statistics), driven through `engine.dispatch` with a hand-built modern Exchange.
 * Shared by the per-example tests in test/tools, test/prompts and test/resources.
 */
import { lifespan, prompts, resources, templates, tools } from '../../../src/catalog.js';
import type { Exchange } from '../../../src/mcp/exchange.js';
import { localPrincipal, type Principal } from '../../../src/mcp/principal.js';
import { META, MODERN_VERSION, type JsonObject, type JsonRpcNotification } from '../../../src/mcp/protocol.js';
import type { AuditEvent } from '../../../src/mcp/services.js';
import { createMcpServer, type McpServer } from '../../../src/server.js';

/** Every scope the examples know about. */
export const ALL_SCOPES = ['mcp:tools', 'mcp:prompts', 'mcp:resources', 'mcp:private', 'mcp:admin'] as const;
/** The scopes a default sign-in grants (what main.ts gives the local principal). */
export const BASIC_SCOPES = ['mcp:tools', 'mcp:prompts', 'mcp:resources'] as const;

/** A principal with the given scopes. */
export function principal(scopes: readonly string[] = ALL_SCOPES, subject = 'alice'): Principal {
  return localPrincipal(subject, scopes, 'example-client');
}

/** A parsed JSON-RPC reply. */
export interface Reply {
  status: number;
  result?: JsonObject;
  error?: { code: number; message: string; data?: unknown };
}

/** Options of one call. */
export interface CallOptions {
  principal?: Principal;
  headers?: Record<string, string>;
  capabilities?: JsonObject;
  meta?: JsonObject;
  onNotify?: (n: JsonRpcNotification) => void;
  /** Cancels the request when aborted (as a client cancelling or disconnecting would). */
  signal?: AbortSignal;
}

/** The example server and a way to call it. */
export interface Examples {
  server: McpServer;
  audits: AuditEvent[];
  call(method: string, params?: JsonObject, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

let nextId = 1;

/** Compose the example server (as main.ts does, minus transports and logging). */
export async function examples(): Promise<Examples> {
  const audits: AuditEvent[] = [];
  const server: McpServer = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: 'test' },
    tools, prompts, resources, templates, lifespan,
    onAudit: (event) => {
      audits.push(event);
      server.engine.services.state.calledTools.record(event);
    },
  });
  return {
    server,
    audits,
    async call(method, params = {}, opts = {}) {
      const ex: Exchange = {
        era: 'modern',
        protocolVersion: MODERN_VERSION,
        principal: opts.principal ?? principal(),
        headers: Object.freeze({ ...(opts.headers ?? {}) }),
        signal: opts.signal ?? new AbortController().signal,
        notify: (n) => opts.onNotify?.(n),
      };
      const meta = {
        [META.protocolVersion]: MODERN_VERSION,
        [META.clientCapabilities]: opts.capabilities ?? {},
        [META.clientInfo]: { name: 'jest', version: '1.0.0' },
        ...opts.meta,
      };
      const reply = await server.engine.dispatch({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: meta } }, ex);
      const body = JSON.parse(reply.body) as { result?: JsonObject; error?: Reply['error'] };
      return { status: reply.status, result: body.result, error: body.error };
    },
    close: () => server.close(),
  };
}

/** Call a tool and return its result (fails the test on a JSON-RPC error). */
export async function callTool(ex: Examples, name: string, args: JsonObject = {}, opts: CallOptions = {}): Promise<ToolCallResult> {
  const r = await ex.call('tools/call', { name, arguments: args }, opts);
  if (!r.result) throw new Error(`tools/call ${name} failed: ${JSON.stringify(r.error)}`);
  return r.result as unknown as ToolCallResult;
}

/** The parts of a CallToolResult the tests read. */
export interface ToolCallResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  resultType?: string;
}

/** Text of the first content block. */
export function text(r: { content: { text?: string }[] }): string {
  return r.content[0]?.text ?? '';
}
