/**
 * tools/list and tools/call (2026-07-28 server/tools). Input that fails validation and
 * errors thrown by the tool become `isError: true` results (2025-11-25 rule, SEP-1303) with
 * a sanitized message; protocol problems (unknown tool, bad params) are JSON-RPC errors.
 */
import { withClientInput, type Call } from '../call.js';
import { InsufficientScopeError, invalidParams, McpError, ToolError, truncate } from '../errors.js';
import type { CompiledTool } from '../compile.js';
import type { ToolResult } from '../define.js';
import { allows } from '../principal.js';
import type { JsonObject } from '../protocol.js';
import type { RawResult } from '../raw-result.js';
import { listResult } from './lists.js';
import { InputRequired } from '../client-input.js';
import type { RequestContext } from '../context.js';
import { negotiatedTasks, tasksRequired } from './tasks.js';
import { callAsTask } from './tool-task.js';

/** tools/list: the tools this principal may use, one page. */
export function listTools(call: Call): RawResult {
  return listResult(call, 'tool', 'tools');
}

/** tools/call. */
export async function callTool(call: Call): Promise<JsonObject> {
  const { params, ex, services } = call;
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('params.name must be the name of a tool from tools/list');
  const tool = services.registry.get('tool', name);
  if (!tool) throw invalidParams(`Unknown tool: ${truncate(name)}`);
  if (!allows(tool.scopes, ex.principal.scopes)) throw new InsufficientScopeError(tool.scopes);
  const args = params.arguments ?? {};
  const task = tool.def.task;
  if (task !== undefined) {
    // tasks §Capability Negotiation: a task only for a request that declared the extension;
    // a tool that can only run as a task refuses the others with -32021.
    if (negotiatedTasks(call)) return callAsTask(call, tool, args);
    if (task === 'required') throw tasksRequired(`Tool ${name}`);
  }
  return withClientInput(call, [name, args], async (ctx) => {
    const parsed = tool.input(args);
    if (!parsed.ok) return invalidArguments(name, parsed.message);
    return runTool(tool, parsed.data, ctx);
  });
}

/** Run a tool's handler on validated input and shape its result (also inside tasks). */
export async function runTool(tool: CompiledTool, data: unknown, ctx: RequestContext): Promise<JsonObject> {
  try {
    const value = await tool.def.handler(data as never, ctx);
    return toResult(tool, value, ctx.log);
  } catch (e) {
    if (e instanceof InputRequired || e instanceof McpError) throw e;
    if (e instanceof ToolError) return errorResult(e.message);
    if (ctx.signal.aborted) return errorResult('The request was cancelled');
    ctx.log.error('tool failed', { tool: tool.name, error: e });
    return errorResult(`Tool ${tool.name} failed because of an internal error`);
  }
}

/** The isError result for arguments that fail the input schema. */
export function invalidArguments(name: string, message: string): JsonObject {
  return errorResult(`Invalid arguments for tool ${name}: ${message}`);
}

/** An isError tool result with one text block. */
export function errorResult(message: string): JsonObject {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Summarize zod issues (kept here for existing imports; defined with the compiler). */
export { formatIssues } from '../compile.js';

function isToolResult(v: unknown): v is ToolResult {
  return v !== null && typeof v === 'object' && Array.isArray((v as ToolResult).content);
}

function toResult(tool: CompiledTool, value: unknown, log: { error(m: string, f?: Record<string, unknown>): void }): JsonObject {
  const output = tool.output;
  if (typeof value === 'string') {
    if (output) return invalidOutput(tool, log, 'returned a string but declares an output schema');
    return { content: [{ type: 'text', text: value }] };
  }
  if (isToolResult(value)) {
    if (output && !value.isError) {
      const checked = output(value.structuredContent);
      if (!checked.ok) return invalidOutput(tool, log, checked.message);
    }
    return value as unknown as JsonObject;
  }
  if (!output) return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
  // 2025-06-18 server/tools §Structured Content: structuredContent conforms to outputSchema and
  // is mirrored in a text block for clients that do not read it.
  const checked = output(value);
  if (!checked.ok) return invalidOutput(tool, log, checked.message);
  return { content: [{ type: 'text', text: JSON.stringify(checked.data) }], structuredContent: checked.data };
}

function invalidOutput(tool: CompiledTool, log: { error(m: string, f?: Record<string, unknown>): void }, detail: string): JsonObject {
  log.error('tool output does not match its output schema', { tool: tool.name, detail });
  return errorResult(`Tool ${tool.name} produced output that does not match its declared schema`);
}
