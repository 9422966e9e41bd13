/**
 * The per-request path of the MCP endpoint as one precomposed function instead of an Express
 * Router: security headers, no-store, Origin/Host guard, CORS, authentication (whose
 * rejections of presented credentials go through the failed-auth throttle), the per-subject
 * limiter, then the endpoint. Express still owns everything
 * else (health probes, 404s, errors); this is the hot path, so it walks no router layers.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../mcp/principal.js';
import { ErrorCodes } from '../mcp/protocol.js';
import { RefusedError } from './endpoint-options.js';
import type { FailedAuthThrottle } from './failed-auth.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { addressKey } from './rate-limit.js';
import { rpcError, sendJson } from './response-channel.js';
import { metrics } from '../observability/sink.js';

/** The steps, built once by createApp. */
export interface PipelineSteps {
  securityHeaders: RequestHandler;
  guard(req: IncomingMessage, res: Response): boolean;
  cors(req: IncomingMessage, res: Response): boolean;
  /** Paces the answers to rejected credentials per client address. */
  failedAuth?: FailedAuthThrottle;
  requestLimiter?: RequestHandler;
  authenticate(req: IncomingMessage): Principal | Promise<Principal>;
  /** Where the endpoint finds the principal the pipeline resolved. */
  principals: WeakMap<IncomingMessage, Principal>;
  endpoint: McpEndpoint;
}

const HANDLERS = { POST: 'post', GET: 'get', DELETE: 'delete' } as const;

/** Compose the pipeline; call it for requests to the MCP path. */
export function createMcpPipeline(s: PipelineSteps): (req: Request, res: Response, next: NextFunction) => void {
  const serve = (req: Request, res: Response, next: NextFunction) => {
    const handler = HANDLERS[req.method as keyof typeof HANDLERS];
    s.endpoint[handler](req, res).catch(next);
  };
  const afterAuth = s.requestLimiter
    ? (req: Request, res: Response, next: NextFunction) => { void s.requestLimiter!(req, res, () => serve(req, res, next)); }
    : serve;
  const failed = s.failedAuth
    ? (e: unknown, req: Request, res: Response, next: NextFunction) => {
        // Decided here, when authentication has failed — never from a response status, so
        // an open stream or a client that went away is not a failure.
        if (!(e instanceof RefusedError) || !e.rejectedCredentials) return refuse(e, res, next);
        const v = s.failedAuth!.fail(addressKey(req));
        if (v.kind === 'answer') return refuse(e, res, next);
        if (v.kind === 'delay') {
          const t = setTimeout(() => refuse(e, res, next), v.ms);
          res.once('close', () => clearTimeout(t));
          return;
        }
        metrics.rateLimited('failed_auth');
        tooManyFailures(res, s.failedAuth!, v.retryAfterMs);
      }
    : (e: unknown, _req: Request, res: Response, next: NextFunction) => refuse(e, res, next);
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    let p: Principal | Promise<Principal>;
    try { p = s.authenticate(req); } catch (e) { return failed(e, req, res, next); }
    const go = (principal: Principal) => { s.principals.set(req, principal); res.locals.principal = principal; afterAuth(req, res, next); };
    // A local principal is synchronous: no promise, no extra microtask per request.
    if (p instanceof Promise) p.then(go, (e: unknown) => failed(e, req, res, next));
    else go(p);
  };
  return function mcpPipeline(req, res, next) {
    s.securityHeaders(req, res, () => {});
    // Responses carry per-user data and the effects of tokens: never cache them.
    res.setHeader('cache-control', 'no-store');
    if (!s.guard(req, res) || s.cors(req, res)) return;
    if (!(req.method in HANDLERS)) {
      res.setHeader('allow', 'GET, POST, DELETE');
      return sendJson(res, 405, rpcError(ErrorCodes.InvalidRequest, 'Method Not Allowed'));
    }
    authenticate(req, res, next);
  };
}

/** 429 naming the limit; no challenge, since the address must wait whatever it sends. */
function tooManyFailures(res: Response, t: FailedAuthThrottle, retryAfterMs: number): void {
  sendJson(res, 429, {
    jsonrpc: '2.0', id: null,
    error: {
      code: -32000,
      message: `Too many failed authentication attempts from this address (more than ${t.limit} per ${t.windowMs / 1000} s, MCP_RATE_LIMIT_FAILED_AUTH_MAX); retry with a valid token, or after the time in the Retry-After header`,
      data: { code: 'ERR_FAILED_AUTH_LIMIT', limit: 'MCP_RATE_LIMIT_FAILED_AUTH_MAX', max: t.limit },
    },
  }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}

function refuse(e: unknown, res: Response, next: NextFunction): void {
  if (e instanceof RefusedError) sendJson(res, e.refusal.status, e.refusal.body, e.refusal.headers);
  else next(e);
}
