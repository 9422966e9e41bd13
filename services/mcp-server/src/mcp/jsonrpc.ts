/**
 * Classify an incoming JSON value as a JSON-RPC 2.0 request, notification or response, or
 * say precisely why it is none of them (-32600 Invalid Request).
 */
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, RequestId } from './protocol.js';

/** The result of classification. */
export type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | { kind: 'invalid'; id: RequestId | null; reason: string };

/** A usable request id: a string of at most 256 characters or a safe integer. */
export function isId(v: unknown): v is RequestId {
  return (typeof v === 'string' && v.length <= 256) || (typeof v === 'number' && Number.isSafeInteger(v));
}

/**
 * Deepest nesting accepted. Much deeper JSON (a few thousand levels fit easily in a 4 MiB
 * body) would exhaust the stack in recursive code downstream, such as the digest that binds
 * MRTR state to arguments, and turn a malformed request into a 500.
 */
export const MAX_DEPTH = 128;

function tooDeep(root: object, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Classify one message (not a batch). */
export function classify(value: unknown): Classified {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid', id: null, reason: 'A JSON-RPC message must be a JSON object' };
  const m = value as Record<string, unknown>;
  const id = isId(m.id) ? m.id : null;
  if (m.jsonrpc !== '2.0') return { kind: 'invalid', id, reason: 'jsonrpc must be exactly "2.0"' };
  if (tooDeep(m, MAX_DEPTH)) return { kind: 'invalid', id, reason: `The message nests deeper than ${MAX_DEPTH} levels` };
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method.length === 0 || m.method.length > 256) return { kind: 'invalid', id, reason: 'method must be a non-empty string' };
    if (m.params !== undefined && (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params))) {
      return { kind: 'invalid', id, reason: 'params must be an object (MCP uses named parameters)' };
    }
    if (!('id' in m)) return { kind: 'notification', message: m as unknown as JsonRpcNotification };
    // MCP basic §Requests: the id MUST be a string or integer and MUST NOT be null.
    if (!isId(m.id)) return { kind: 'invalid', id: null, reason: 'id must be a string or a number, and not null' };
    return { kind: 'request', message: m as unknown as JsonRpcRequest };
  }
  if (('result' in m) !== ('error' in m) && isId(m.id)) {
    if ('result' in m && (m.result === null || typeof m.result !== 'object')) return { kind: 'invalid', id, reason: 'result must be an object' };
    return { kind: 'response', message: m as unknown as JsonRpcResponse };
  }
  return { kind: 'invalid', id, reason: 'Not a request, notification or response: expected "method", or "id" with exactly one of "result" or "error"' };
}
