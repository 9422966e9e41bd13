/**
 * The method table: every JSON-RPC method this server answers, per era, in one place.
 * 2026-07-28 is stateless (no initialize, ping or setLevel; subscriptions/listen replaces
 * resources/subscribe); the 2025 revisions keep the handshake.
 */
import type { Call } from './call.js';
import type { JsonObject } from './protocol.js';
import type { RawResult } from './raw-result.js';
import { complete } from './handlers/completion.js';
import { discover, initialize, ping, setLevel } from './handlers/lifecycle.js';
import { getPrompt, listPrompts } from './handlers/prompts.js';
import { listResources, listTemplates, readResource, subscribe, unsubscribe } from './handlers/resources.js';
import { listen } from './handlers/subscriptions.js';
import { cancelTask, getTask, updateTask } from './handlers/tasks.js';
import { callTool, listTools } from './handlers/tools.js';

/** A method handler. */
export type MethodHandler = (call: Call) => JsonObject | RawResult | Promise<JsonObject | RawResult>;

const shared = {
  'tools/list': listTools,
  'tools/call': callTool,
  'prompts/list': listPrompts,
  'prompts/get': getPrompt,
  'resources/list': listResources,
  'resources/templates/list': listTemplates,
  'resources/read': readResource,
  'completion/complete': complete,
} satisfies Record<string, MethodHandler>;

/** Methods of revision 2026-07-28. */
export const MODERN_METHODS: ReadonlyMap<string, MethodHandler> = new Map<string, MethodHandler>(Object.entries({
  ...shared,
  'server/discover': discover,
  'subscriptions/listen': listen,
  // io.modelcontextprotocol/tasks; tasks/result and tasks/list of 2025-11-25 are gone (-32601).
  'tasks/get': getTask,
  'tasks/update': updateTask,
  'tasks/cancel': cancelTask,
}));

/** Methods of revisions 2025-03-26 through 2025-11-25. */
export const LEGACY_METHODS: ReadonlyMap<string, MethodHandler> = new Map<string, MethodHandler>(Object.entries({
  ...shared,
  initialize,
  ping,
  'logging/setLevel': setLevel,
  'resources/subscribe': subscribe,
  'resources/unsubscribe': unsubscribe,
}));

/** Methods that name their target in `params.name` / `uri` / `taskId` (and the Mcp-Name header; tasks §Routing Headers). */
export const NAMED_METHODS: ReadonlyMap<string, 'name' | 'uri' | 'taskId'> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
  ['tasks/get', 'taskId'],
  ['tasks/update', 'taskId'],
  ['tasks/cancel', 'taskId'],
]);
