/**
 * tasks/get, tasks/update and tasks/cancel (io.modelcontextprotocol/tasks, 2026-07-28 only).
 * Every request must carry the extension in its per-request client capabilities; a task is
 * visible only to the principal that created it, and any other caller gets the same -32602
 * as for an unknown id (tasks §Error Handling), never the task.
 */
import type { Call } from '../call.js';
import { invalidParams, McpError } from '../errors.js';
import { ErrorCodes, type JsonObject } from '../protocol.js';
import { TASKS_EXTENSION, taskOwner } from '../tasks/task-records.js';

/** True when this request declared the tasks extension (tasks §Capability Negotiation). */
export function negotiatedTasks(call: Call): boolean {
  if (call.ex.era !== 'modern') return false;
  const ext = call.client.capabilities.extensions;
  if (ext === null || typeof ext !== 'object' || Array.isArray(ext)) return false;
  const t = (ext as JsonObject)[TASKS_EXTENSION];
  return t !== null && typeof t === 'object' && !Array.isArray(t);
}

/** -32021 naming the tasks extension (tasks §Capability Negotiation, SEP-2575 Missing Required Capabilities). */
export function tasksRequired(what: string): McpError {
  return new McpError('ERR_MISSING_CAPABILITY', ErrorCodes.MissingRequiredClientCapability,
    `${what} needs the client to declare the ${TASKS_EXTENSION} extension in its capabilities`,
    { httpStatus: 400, data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } });
}

function taskId(call: Call): string {
  if (!negotiatedTasks(call)) throw tasksRequired(call.method);
  const id = call.params.taskId;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw invalidParams('params.taskId must be the taskId of a task this client created');
  return id;
}

function notFound(): McpError {
  return invalidParams('Task not found: it does not exist, has expired, or belongs to another principal');
}

/** tasks/get: the DetailedTask; `resultType` is "complete" (tasks §Task Polling). */
export async function getTask(call: Call): Promise<JsonObject> {
  const id = taskId(call);
  const task = await call.services.tasks.get(id, taskOwner(call.ex.principal));
  if (!task) throw notFound();
  return { ...task, resultType: 'complete' };
}

/** tasks/update: an empty acknowledgement; the answers reach the task eventually (§Task Update Requests). */
export async function updateTask(call: Call): Promise<JsonObject> {
  const id = taskId(call);
  const responses = call.params.inputResponses;
  if (responses === null || typeof responses !== 'object' || Array.isArray(responses)) {
    throw invalidParams('params.inputResponses must be an object keyed by the task\'s inputRequests keys');
  }
  if (!await call.services.tasks.update(id, taskOwner(call.ex.principal), responses as Record<string, unknown>)) throw notFound();
  return {};
}

/** tasks/cancel: an empty acknowledgement, also for a task already finished (§Task Cancellation). */
export async function cancelTask(call: Call): Promise<JsonObject> {
  const id = taskId(call);
  if (!await call.services.tasks.cancel(id, taskOwner(call.ex.principal))) throw notFound();
  return {};
}
