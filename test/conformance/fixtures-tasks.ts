/**
 * Tools for the io.modelcontextprotocol/tasks scenarios (tasks-*, SEP-2663; see
 * docs/conformance-fixtures.md §2): a plain tool, task tools that finish, fail, crash, wait
 * for input through tasks/update, and one that asks over MRTR before its task starts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { McpError, ToolError } from '../../services/mcp-server/src/mcp/errors.js';
import { ErrorCodes, type JsonObject } from '../../services/mcp-server/src/mcp/protocol.js';

const ask = (message: string, properties: JsonObject) => ({
  mode: 'form', message, requestedSchema: { type: 'object', properties, required: Object.keys(properties) },
});
const content = (r: JsonObject): Record<string, unknown> => (r.content as Record<string, unknown> | undefined) ?? {};

/** The tools the tasks-* scenarios list as required fixtures. */
export const taskTools = [
  defineTool({
    name: 'greet',
    description: 'Greets by name (never a task)',
    input: z.object({ name: z.string() }),
    handler: ({ name }) => `Hello, ${name}!`,
  }),
  defineTool({
    name: 'slow_compute',
    description: 'Sleeps for `seconds`, then answers; runs as a task for clients that support tasks',
    task: 'optional',
    input: z.object({ seconds: z.number().min(0).max(120), label: z.string().optional() }),
    handler: async ({ seconds, label }, ctx) => {
      // Stops at tasks/cancel, so the task settles as cancelled.
      await sleep(seconds * 1000, undefined, { signal: ctx.signal });
      return `Computed ${label ?? 'result'} after ${seconds} s`;
    },
  }),
  defineTool({
    name: 'failing_job',
    description: 'Reports a tool error after about a second; only runs as a task',
    task: 'required',
    handler: async (_args, ctx) => {
      await sleep(1000, undefined, { signal: ctx.signal });
      throw new ToolError('The job failed');
    },
  }),
  defineTool({
    name: 'protocol_error_job',
    description: 'Fails with a JSON-RPC error (the task ends failed)',
    task: 'optional',
    handler: () => { throw new McpError('ERR_INTERNAL', ErrorCodes.InternalError, 'The job crashed'); },
  }),
  defineTool({
    name: 'confirm_delete',
    description: 'Asks the user to confirm a deletion while running as a task',
    task: 'optional',
    input: z.object({ filename: z.string() }),
    handler: async ({ filename }, ctx) => {
      const r = await ctx.input.elicit(ask(`Delete ${filename}?`, { confirm: { type: 'boolean' } }), 'confirm');
      return r.action === 'accept' && content(r).confirm === true ? `Deleted ${filename}` : `Kept ${filename}`;
    },
  }),
  defineTool({
    name: 'multi_input',
    description: 'Asks two questions at once while running as a task',
    task: 'optional',
    handler: async (_args, ctx) => {
      const [a, b] = await Promise.all([
        ctx.input.elicit(ask('Your name?', { name: { type: 'string' } }), 'name'),
        ctx.input.elicit(ask('Proceed?', { confirm: { type: 'boolean' } }), 'confirm'),
      ]);
      return `${String(content(a).name)} confirmed ${String(content(b).confirm)}`;
    },
  }),
  defineTool({
    name: 'test_tool_with_task',
    description: 'Asks for the user name over MRTR, then greets in a task',
    task: 'required',
    beforeTask: async (_args, ctx) => { await ctx.input.elicit(ask('What is your name?', { name: { type: 'string' } }), 'user_name'); },
    handler: async (_args, ctx) => {
      // Answered before the task started: the same key resolves without asking again.
      const r = await ctx.input.elicit(ask('What is your name?', { name: { type: 'string' } }), 'user_name');
      return `Hello, ${String(content(r).name)}!`;
    },
  }),
];
