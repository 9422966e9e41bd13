/**
 * The per-request path of the MCP endpoint as one precomposed function on plain node:http
 * objects: security headers and no-store, Origin/Host guard, CORS, authentication (whose
 * rejections of presented credentials go through the failed-auth throttle), the per-subject
 * limiter, then the endpoint. It serves both the server's own listener (no Express on the hot
 * path) and the Express mount (app.ts), so both enforce the same steps in the same order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../mcp/principal.js';
import { ErrorCodes } from '../mcp/protocol.js';
import { RefusedError } from './endpoint-options.js';
import type { FailedAuthThrottle } from './failed-auth.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { addressKey } from './rate-limit.js';
import { rpcError, sendJson } from './response-channel.js';
import type { SecurityHeaders } from './security-headers.js';
import type { SubjectLimiter } from './subject-limiter.js';
import { metrics } from '../observability/sink.js';

/** A request listener on plain node:http objects. */
export type McpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The steps, built once by createApp. */
export interface PipelineSteps {
  headers: SecurityHeaders;
  guard(req: IncomingMessage, res: ServerResponse): boolean;
  cors(req: IncomingMessage, res: ServerResponse): boolean;
  /** Paces the answers to rejected credentials per client address. */
  failedAuth?: FailedAuthThrottle;
  /** The client address as Express's `req.ip` would give it (trust proxy honoured). */
  clientAddress(req: IncomingMessage): string | undefined;
  requestLimiter?: SubjectLimiter;
  authenticate(req: IncomingMessage): Principal | Promise<Principal>;
  endpoint: McpEndpoint;
  /** Unexpected errors: log and answer 500 (what Express's error handler did). */
  onError(err: unknown, req: IncomingMessage, res: ServerResponse): void;
}

const ALLOW = { allow: 'GET, POST, DELETE' } as const;

// The principal the pipeline resolved, left on the request for the endpoint: a symbol-keyed
// slot (one hidden-class transition shared by all requests), not a WeakMap entry per request.
const PRINCIPAL = Symbol('mcp.principal');
type WithPrincipal = IncomingMessage & { [PRINCIPAL]?: Principal };

/** The principal the pipeline authenticated this request as, if it did. */
export function principalOfRequest(req: IncomingMessage): Principal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}
const METHOD_NOT_ALLOWED = rpcError(ErrorCodes.InvalidRequest, 'Method Not Allowed');

/** Compose the pipeline; call it for requests to the MCP path. */
export function createMcpPipeline(s: PipelineSteps): McpHandler {
  const { endpoint, requestLimiter, onError } = s;

  /** Answer an authentication failure, through the failed-auth throttle when configured. */
  function failed(e: unknown, req: IncomingMessage, res: ServerResponse): void {
    // Decided here, when authentication has failed — never from a response status, so
    // an open stream or a client that went away is not a failure.
    if (!s.failedAuth || !(e instanceof RefusedError) || !e.rejectedCredentials) return refuse(e, req, res);
    const v = s.failedAuth.fail(addressKey(s.clientAddress(req)));
    if (v.kind === 'answer') return refuse(e, req, res);
    if (v.kind === 'delay') {
      const t = setTimeout(() => refuse(e, req, res), v.ms);
      res.once('close', () => clearTimeout(t));
      return;
    }
    metrics.rateLimited('failed_auth');
    tooManyFailures(res, s.failedAuth, v.retryAfterMs);
  }

  function refuse(e: unknown, req: IncomingMessage, res: ServerResponse): void {
    if (e instanceof RefusedError) sendJson(res, e.refusal.status, e.refusal.body, e.refusal.headers);
    else onError(e, req, res);
  }

  /** Authenticate, count, serve; one async frame per request, no per-request closures. */
  async function authorized(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let principal: Principal;
    try {
      const p = s.authenticate(req);
      // A local principal is synchronous: no await, no extra microtask per request.
      principal = p instanceof Promise ? await p : p;
    } catch (e) {
      return failed(e, req, res);
    }
    try {
      (req as WithPrincipal)[PRINCIPAL] = principal;
      if (requestLimiter) {
        // In-process counts answer synchronously: no await, as for a local principal above.
        const allowed = requestLimiter(res, principal);
        if (!(allowed instanceof Promise ? await allowed : allowed)) return;
      }
      const method = req.method;
      await (method === 'POST' ? endpoint.post(req, res) : method === 'GET' ? endpoint.get(req, res) : endpoint.delete(req, res));
    } catch (e) {
      onError(e, req, res);
    }
  }

  return function mcpPipeline(req, res) {
    try {
      s.headers.apply(res);
      if (!s.guard(req, res) || s.cors(req, res)) return;
      const method = req.method;
      if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return sendJson(res, 405, METHOD_NOT_ALLOWED, ALLOW);
      void authorized(req, res);
    } catch (e) {
      onError(e, req, res);
    }
  };
}

/** 429 naming the limit; no challenge, since the address must wait whatever it sends. */
function tooManyFailures(res: ServerResponse, t: FailedAuthThrottle, retryAfterMs: number): void {
  sendJson(res, 429, {
    jsonrpc: '2.0', id: null,
    error: {
      code: -32000,
      message: `Too many failed authentication attempts from this address (more than ${t.limit} per ${t.windowMs / 1000} s, MCP_RATE_LIMIT_FAILED_AUTH_MAX); retry with a valid token, or after the time in the Retry-After header`,
      data: { code: 'ERR_FAILED_AUTH_LIMIT', limit: 'MCP_RATE_LIMIT_FAILED_AUTH_MAX', max: t.limit },
    },
  }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}
