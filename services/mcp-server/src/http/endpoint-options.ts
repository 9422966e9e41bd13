/** Options of the Streamable HTTP endpoint, validated once at creation. */
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../mcp/engine.js';
import type { Principal } from '../mcp/principal.js';
import { resolveQuotas, type QuotaLimits } from './quotas.js';
import type { StateStore } from '../state/store.js';

/** What to answer instead of serving (an authentication challenge, for instance). */
export interface HttpRefusal { status: number; headers?: Record<string, string>; body: unknown }

/** Options for createMcpEndpoint. */
export interface McpEndpointOptions {
  engine: Engine;
  /**
   * Resolve the caller. Throw (or reject with) an object carrying an `HttpRefusal` in
   * `refusal` to answer with it — the OAuth layer uses this for 401 challenges.
   */
  authenticate: (req: IncomingMessage) => Principal | Promise<Principal>;
  /** Build the 403 for a principal lacking every scope an operation needs (step-up). */
  insufficientScope?: (required: readonly string[], req: IncomingMessage, principal: Principal) => HttpRefusal;
  /** 'stateless' (default): no Mcp-Session-Id; 'sessions': 2025 sessions with GET streams. */
  sessions?: 'stateless' | 'sessions';
  /** Largest accepted body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** Idle session expiry (default 30 minutes). */
  sessionIdleMs?: number;
  /** Quotas on sessions, streams, subscriptions and pending requests (quotas.ts; defaults DEFAULT_QUOTAS). */
  quotas?: Partial<QuotaLimits>;
  /**
   * The replicas' shared store (REDIS_URL): sessions live there, and client replies and
   * cancellations reach the replica that awaits them. Absent: one replica, all in memory.
   */
  state?: StateStore;
}

/** Thrown by `authenticate` to refuse a request with a prepared response. */
export class RefusedError extends Error {
  constructor(
    readonly refusal: HttpRefusal,
    /** True when presented credentials were rejected (what the failed-auth throttle counts). */
    readonly rejectedCredentials = false,
  ) { super(`refused with ${refusal.status}`); }
}

const KNOWN = new Set(['engine', 'authenticate', 'insufficientScope', 'sessions', 'maxBodyBytes', 'sessionIdleMs', 'quotas', 'state']);

/** Validate and freeze options; a typo gets a hint. */
export function resolveEndpointOptions(o: McpEndpointOptions): Required<Omit<McpEndpointOptions, 'insufficientScope' | 'state'>> & Pick<McpEndpointOptions, 'insufficientScope' | 'state'> {
  if (!o || typeof o !== 'object') throw new TypeError('createMcpEndpoint needs an options object');
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) {
      const near = [...KNOWN].find((n) => n.toLowerCase() === k.toLowerCase() || n.startsWith(k.slice(0, 4)));
      throw new TypeError(`Unknown option "${k}" for createMcpEndpoint${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }
  if (!o.engine) throw new TypeError('createMcpEndpoint needs { engine }');
  if (typeof o.authenticate !== 'function') throw new TypeError('createMcpEndpoint needs { authenticate(req) => Principal }');
  if (o.sessions !== undefined && o.sessions !== 'stateless' && o.sessions !== 'sessions') throw new TypeError(`sessions must be "stateless" or "sessions", got ${JSON.stringify(o.sessions)}`);
  const maxBodyBytes = o.maxBodyBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) throw new TypeError('maxBodyBytes must be an integer >= 1024');
  return Object.freeze({
    engine: o.engine,
    authenticate: o.authenticate,
    insufficientScope: o.insufficientScope,
    sessions: o.sessions ?? 'stateless',
    maxBodyBytes,
    sessionIdleMs: o.sessionIdleMs ?? 30 * 60_000,
    quotas: resolveQuotas(o.quotas),
    state: o.state,
  });
}
