/**
 * The protocol engine: a JSON-RPC request and its Exchange in, a serialized response out.
 * No transport knowledge here beyond the HTTP status each outcome should carry.
 */
import { randomBytes } from 'node:crypto';
import { clip } from './bounds.js';
import type { Call } from './call.js';
import { metaOf } from './call.js';
import type { AppState, ClientInfo, TokenExchangeFn } from './context.js';
import { InsufficientScopeError, McpError, methodNotFound, unsupportedVersion } from './errors.js';
import type { Exchange } from './exchange.js';
import { NotificationHub } from './hub.js';
import { LEGACY_METHODS, MODERN_METHODS, NAMED_METHODS } from './method-table.js';
import { ErrorCodes, META, MODERN_VERSION, type JsonObject, type JsonRpcNotification, type JsonRpcRequest, type RequestId } from './protocol.js';
import type { Registry } from './registry.js';
import { createSealer } from './sealed.js';
import { RawResult } from './raw-result.js';
import type { AuditEvent, EngineServices, ResolvedEngineOptions, ServerInfo } from './services.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { Principal } from './principal.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/store.js';
import { TaskManager } from './tasks/task-manager.js';
import { DEFAULT_TASK_LIMITS, type TaskLimits } from './tasks/task-records.js';
import { metrics, type Era } from '../observability/sink.js';
import { traceHandler } from '../tracing/engine-tracing.js';
import { tracingOn } from '../tracing/tracing.js';

/** Options for createEngine. */
export interface EngineOptions {
  registry: Registry;
  serverInfo: ServerInfo;
  instructions?: string;
  /** Application state handed to every handler as `ctx.state`. */
  state?: AppState;
  logger?: Logger;
  /** Secret for requestState and cursors; share it across replicas. Random per process when absent. */
  secret?: string | Uint8Array;
  pageSize?: number;
  listTtlMs?: number;
  readTtlMs?: number;
  discoverTtlMs?: number;
  requestStateTtlMs?: number;
  /** RFC 8693 token exchange for `ctx.exchangeToken` (see docs/auth.md). */
  exchangeToken?: TokenExchangeFn;
  /** Receives audit events; defaults to one `audit` log line each. */
  onAudit?: (event: AuditEvent, principal: Principal) => void;
  /** Shared state (task records, their quota counters and channels); a MemoryStore when absent. */
  store?: StateStore;
  /** Task TTL, per-principal quota and poll interval (MCP_TASK_TTL_MS, MCP_MAX_TASKS_PER_PRINCIPAL, MCP_TASK_POLL_INTERVAL_MS). */
  tasks?: Partial<TaskLimits>;
  now?: () => number;
}

/** A serialized JSON-RPC response and the HTTP status that should carry it. */
export interface Reply { status: number; body: string }

/** The engine. */
export interface Engine {
  readonly services: EngineServices;
  /** Serve one request. Never throws. */
  dispatch(request: JsonRpcRequest, ex: Exchange): Promise<Reply>;
  /** Take a client notification. */
  notification(notification: JsonRpcNotification, ex: Exchange): void;
  /** Scopes (any-of) the named operation needs; empty when it is open or unknown. */
  requiredScopes(method: string, name: string | undefined): readonly string[];
  /** End open streams (running tasks: `services.tasks.close()`). */
  close(): void;
}

const AUDITED = new Set(['tools/call', 'prompts/get', 'resources/read']);
/** Audited methods that are also counted per name (resources are not: URIs are unbounded). */
const COUNTED: Readonly<Record<string, 'tool' | 'prompt'>> = { 'tools/call': 'tool', 'prompts/get': 'prompt' };

/** Create an engine over a registry. */
export function createEngine(opts: EngineOptions): Engine {
  if (!opts || !opts.registry || !opts.serverInfo?.name) throw new TypeError('createEngine needs { registry, serverInfo: { name, version } }');
  const options: ResolvedEngineOptions = Object.freeze({
    serverInfo: Object.freeze({ ...opts.serverInfo }),
    instructions: opts.instructions,
    pageSize: positive(opts.pageSize, 100, 'pageSize'),
    listTtlMs: nonNegative(opts.listTtlMs, 60_000, 'listTtlMs'),
    readTtlMs: nonNegative(opts.readTtlMs, 0, 'readTtlMs'),
    discoverTtlMs: nonNegative(opts.discoverTtlMs, 3_600_000, 'discoverTtlMs'),
    requestStateTtlMs: positive(opts.requestStateTtlMs, 600_000, 'requestStateTtlMs'),
  });
  const logger = opts.logger ?? silentLogger;
  const hub = new NotificationHub();
  opts.registry.onChange((kind) => hub.listChanged(kind));
  const now = opts.now ?? Date.now;
  const tasks = new TaskManager(opts.store ?? new MemoryStore(), taskLimits(opts.tasks), logger, now);
  const services: EngineServices = {
    registry: opts.registry,
    sealer: createSealer(opts.secret ?? randomBytes(32)),
    hub,
    logger,
    state: opts.state ?? ({} as AppState),
    options,
    exchangeToken: opts.exchangeToken,
    tasks,
    now,
    audit: opts.onAudit ?? ((e, p) => logger.info('audit', { ...e, subject: p.subject, clientId: p.clientId })),
  };
  const serverInfoMeta = { [META.serverInfo]: options.serverInfo };
  // The members every complete modern result ends with, for pre-serialized results.
  const modernTail = `,"resultType":"complete","_meta":${JSON.stringify(serverInfoMeta)}`;

  async function dispatch(req: JsonRpcRequest, ex: Exchange): Promise<Reply> {
    const started = services.now();
    const params = (req.params ?? {}) as JsonObject;
    const named = NAMED_METHODS.get(req.method);
    // Audit records are kept (logs, example state): a client-chosen name is capped.
    const name = named ? clip(String(params[named] ?? '')) : '';
    const audit = (outcome: AuditEvent['outcome']) => {
      if (!AUDITED.has(req.method)) return;
      const { subject, clientId } = ex.principal;
      const durationMs = services.now() - started;
      const kind = COUNTED[req.method];
      if (kind) metrics.call(kind, name, outcome, durationMs / 1000);
      services.audit({ method: req.method, name, subject, clientId, outcome, durationMs, requestId: ex.headers['x-request-id'] }, ex.principal);
    };
    try {
      // Order per 2026-07-28 validation: _meta problems (-32602) before unknown methods (-32601).
      const client = clientOf(ex, params);
      const handler = (ex.era === 'modern' ? MODERN_METHODS : LEGACY_METHODS).get(req.method);
      if (!handler) throw methodNotFound(req.method);
      const call: Call = { id: req.id, method: req.method, params, ex, services, client };
      let result = tracingOn ? await traceHandler(req.method, name, ex.era, async () => handler(call)) : await handler(call);
      if (result instanceof RawResult) {
        audit('ok');
        counted(req.method, ex.era, 200);
        return { status: 200, body: `{"jsonrpc":"2.0","id":${JSON.stringify(req.id)},"result":{${result.members}${ex.era === 'modern' ? modernTail : ''}}}` };
      }
      if (ex.era === 'modern') {
        // 2026-07-28: every result carries resultType; results identify the server in _meta.
        if (result.resultType === undefined && result._meta === undefined) {
          // The common case (a complete result with no _meta of its own): the same bytes as the
          // merge below, with the constant tail spliced in instead of copying two objects.
          audit(result.isError === true ? 'error' : 'ok');
          counted(req.method, ex.era, 200);
          return { status: 200, body: serializeWithTail(req.id, result, modernTail) };
        }
        result = { ...result, resultType: result.resultType ?? 'complete', _meta: { ...(result._meta as JsonObject | undefined), ...serverInfoMeta } };
      }
      audit(result.resultType === 'input_required' ? 'input_required' : result.isError === true ? 'error' : 'ok');
      counted(req.method, ex.era, 200);
      return { status: 200, body: serialize(req.id, result) };
    } catch (e) {
      const err = toMcpError(e, logger);
      audit(err instanceof InsufficientScopeError ? 'denied' : 'error');
      const reply = errorReply(req.id, err, ex.era);
      counted(req.method, ex.era, reply.status);
      return reply;
    }
  }

  return {
    services,
    dispatch,
    notification(n, ex) {
      if (n.method === 'notifications/initialized' && ex.session) ex.session.initialized = true;
      // Other client notifications (cancelled, roots/list_changed) need nothing from the engine.
    },
    requiredScopes(method, name) {
      if (name === undefined) return [];
      const r = services.registry;
      if (method === 'tools/call') return r.get('tool', name)?.scopes ?? [];
      if (method === 'prompts/get') return r.get('prompt', name)?.scopes ?? [];
      if (method === 'resources/read') {
        const fixed = r.get('resource', name);
        if (fixed) return fixed.scopes;
        return r.all('template').find((t) => t.matcher.match(name))?.scopes ?? [];
      }
      return [];
    },
    close() { hub.close(); },
  };
}

/** Count one answered request; a method outside the method table is counted as "unknown". */
function counted(method: string, era: Era, status: number): void {
  metrics.mcpRequest((era === 'modern' ? MODERN_METHODS : LEGACY_METHODS).has(method) ? method : 'unknown', status, era);
}

/** Who the client is, from `_meta` (modern) or the session (legacy). */
function clientOf(ex: Exchange, params: JsonObject): ClientInfo {
  if (ex.era === 'legacy') {
    const s = ex.session;
    return { protocolVersion: s?.protocolVersion ?? ex.protocolVersion, capabilities: s?.capabilities ?? {}, info: s?.clientInfo };
  }
  const meta = metaOf(params);
  const version = meta[META.protocolVersion];
  // basic/index §_meta: protocolVersion and clientCapabilities are required on every request.
  if (typeof version !== 'string') throw metaError(`Missing params._meta["${META.protocolVersion}"]: every 2026-07-28 request must carry it`);
  if (version !== MODERN_VERSION) throw unsupportedVersion(version, [MODERN_VERSION]);
  const caps = meta[META.clientCapabilities];
  if (caps === null || typeof caps !== 'object' || Array.isArray(caps)) {
    throw metaError(`Missing params._meta["${META.clientCapabilities}"]: every 2026-07-28 request must carry the client capabilities object`);
  }
  return { protocolVersion: version, capabilities: caps as JsonObject, info: meta[META.clientInfo] as ClientInfo['info'] };
}

/** -32602 for a malformed `_meta`, answered with HTTP 400 (2026-07-28 streamable-http). */
function metaError(message: string): McpError {
  return new McpError('ERR_INVALID_PARAMS', ErrorCodes.InvalidParams, message, { httpStatus: 400 });
}

function toMcpError(e: unknown, logger: Logger): McpError {
  if (e instanceof McpError) return e;
  logger.error('unhandled error in method handler', { error: e });
  return new McpError('ERR_INTERNAL', ErrorCodes.InternalError, 'Internal error', { httpStatus: 500, cause: e });
}

/** Serialize an error response; legacy clients get JSON-RPC errors over HTTP 200 except for auth. */
export function errorReply(id: RequestId | null, err: McpError, era: 'modern' | 'legacy'): Reply {
  const error: JsonObject = { code: err.rpcCode, message: err.message };
  if (err.data !== undefined) error.data = err.data;
  const status = era === 'modern' || err.httpStatus === 403 || err.rpcCode === ErrorCodes.InvalidRequest ? err.httpStatus : 200;
  return { status, body: JSON.stringify({ jsonrpc: '2.0', id, error }) };
}

function serialize(id: RequestId, result: JsonObject): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

/** A response whose result object ends with `tail` (members beginning with a comma). */
function serializeWithTail(id: RequestId, result: JsonObject, tail: string): string {
  const members = JSON.stringify(result).slice(1, -1);
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{${members === '' ? tail.slice(1) : members + tail}}}`;
}

function taskLimits(t: Partial<TaskLimits> = {}): TaskLimits {
  return Object.freeze({
    ttlMs: positive(t.ttlMs, DEFAULT_TASK_LIMITS.ttlMs, 'tasks.ttlMs'),
    maxPerPrincipal: positive(t.maxPerPrincipal, DEFAULT_TASK_LIMITS.maxPerPrincipal, 'tasks.maxPerPrincipal'),
    pollIntervalMs: positive(t.pollIntervalMs, DEFAULT_TASK_LIMITS.pollIntervalMs, 'tasks.pollIntervalMs'),
  });
}

function positive(v: number | undefined, d: number, name: string): number {
  if (v === undefined) return d;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${name} must be a positive integer, got ${v}`);
  return v;
}
function nonNegative(v: number | undefined, d: number, name: string): number {
  if (v === undefined) return d;
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`${name} must be a non-negative integer, got ${v}`);
  return v;
}
