/**
 * tools/call as a task (io.modelcontextprotocol/tasks): arguments are checked and the tool's
 * `beforeTask` questions settled on the original request (MRTR rounds, tasks §Task Creation:
 * "SHOULD resolve all MRTR exchanges synchronously before responding with a CreateTaskResult"),
 * then the task is created and the handler runs in the background. Inside it, ctx.signal
 * follows tasks/cancel, ctx.progress becomes the task's statusMessage, and ctx.input parks the
 * task in `input_required` until tasks/update answers.
 */
import { buildContext, metaOf, withClientInput, type Call } from '../call.js';
import { MrtrInput } from '../client-input.js';
import type { CompiledTool } from '../compile.js';
import { ToolError } from '../errors.js';
import type { Exchange } from '../exchange.js';
import type { JsonObject, JsonRpcNotification } from '../protocol.js';
import type { TaskControl } from '../tasks/task-manager.js';
import { taskOwner } from '../tasks/task-records.js';
import { errorResult, invalidArguments, runTool } from './tools.js';

const READY: JsonObject = Object.freeze({});

/** Start `tool` as a task and answer with its CreateTaskResult (or an MRTR / isError result first). */
export async function callAsTask(call: Call, tool: CompiledTool, args: unknown): Promise<JsonObject> {
  const parsed = tool.input(args);
  if (!parsed.ok) return invalidArguments(tool.name, parsed.message);
  let seeds: Record<string, JsonObject> = {};
  const before = tool.def.beforeTask;
  if (before) {
    const asked = await withClientInput(call, [tool.name, args], async (ctx) => {
      try {
        await before(parsed.data as never, ctx);
      } catch (e) {
        if (e instanceof ToolError) return errorResult(e.message);
        throw e;
      }
      if (ctx.input instanceof MrtrInput) seeds = { ...ctx.input.used };
      return READY;
    });
    // Still asking (input_required) or refused: that is the answer to this round.
    if (asked !== READY) return asked;
  }
  const task = await call.services.tasks.start(taskOwner(call.ex.principal), call.client.capabilities as JsonObject, seeds,
    (control) => runTool(tool, parsed.data, buildContext(taskCall(call, control), control.input)));
  // tasks §Polymorphic Results: a CreateTaskResult is discriminated by resultType "task".
  return { ...task, resultType: 'task' };
}

/**
 * The call as the task's handler sees it: same principal, headers and client, but its own
 * signal and no response stream. A progress token naming the task makes ctx.progress report.
 */
function taskCall(call: Call, control: TaskControl): Call {
  const { ex } = call;
  const taskEx: Exchange = {
    era: ex.era,
    protocolVersion: ex.protocolVersion,
    principal: ex.principal,
    headers: ex.headers,
    signal: control.signal,
    notify: (n: JsonRpcNotification) => {
      if (n.method !== 'notifications/progress') return;
      const p = n.params ?? {};
      const total = typeof p.total === 'number' ? ` of ${p.total}` : '';
      control.progress(typeof p.message === 'string' ? p.message : `${String(p.progress)}${total}`);
    },
  };
  return { ...call, ex: taskEx, params: { ...call.params, _meta: { ...metaOf(call.params), progressToken: control.taskId } } };
}
