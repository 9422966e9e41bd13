/**
 * What the engine's method handlers share: resolved options, the catalogue, the sealer for
 * round-tripped state, the notification hub and the application state.
 */
import type { AppState, TokenExchangeFn } from './context.js';
import type { Logger } from '../logging/logger.js';
import type { NotificationHub } from './hub.js';
import type { Registry } from './registry.js';
import type { Sealer } from './sealed.js';
import type { Principal } from './principal.js';
import type { TaskManager } from './tasks/task-manager.js';

/** Identity reported in `serverInfo`. */
export interface ServerInfo { name: string; version: string; title?: string; websiteUrl?: string }

/** One audit record per tools/call, prompts/get and resources/read. */
export interface AuditEvent {
  method: string;
  name: string;
  subject: string;
  clientId?: string;
  outcome: 'ok' | 'error' | 'input_required' | 'denied';
  durationMs: number;
  /** The transport's request id (HTTP `X-Request-Id`), to join audit and access log lines. */
  requestId?: string;
}

/** Engine options after defaults. */
export interface ResolvedEngineOptions {
  serverInfo: ServerInfo;
  instructions?: string;
  pageSize: number;
  listTtlMs: number;
  readTtlMs: number;
  discoverTtlMs: number;
  requestStateTtlMs: number;
}

/** Shared services. */
export interface EngineServices {
  readonly registry: Registry;
  readonly sealer: Sealer;
  readonly hub: NotificationHub;
  readonly logger: Logger;
  readonly state: AppState;
  readonly options: ResolvedEngineOptions;
  /** RFC 8693 token exchange, when the auth layer configured one. */
  readonly exchangeToken?: TokenExchangeFn;
  /** Tasks (io.modelcontextprotocol/tasks), kept in the state store. */
  readonly tasks: TaskManager;
  /** The clock (epoch ms); injected for tests. */
  now(): number;
  /** Record an audit event. */
  audit(event: AuditEvent, principal: Principal): void;
}
