/**
 * The per-request path of the MCP endpoint as one precomposed function instead of an Express
 * Router: security headers, no-store, Origin/Host guard, CORS, the failed-auth limiter,
 * authentication, the per-subject limiter, then the endpoint. Express still owns everything
 * else (health probes, 404s, errors); this is the hot path, so it walks no router layers.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../mcp/principal.js';
import { ErrorCodes } from '../mcp/protocol.js';
import { RefusedError } from './endpoint-options.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { rpcError, sendJson } from './response-channel.js';

/** The steps, built once by createApp. */
export interface PipelineSteps {
  securityHeaders: RequestHandler;
  guard(req: IncomingMessage, res: Response): boolean;
  cors(req: IncomingMessage, res: Response): boolean;
  failedAuthLimiter?: RequestHandler;
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
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    let p: Principal | Promise<Principal>;
    try { p = s.authenticate(req); } catch (e) { return refuse(e, res, next); }
    const go = (principal: Principal) => { s.principals.set(req, principal); res.locals.principal = principal; afterAuth(req, res, next); };
    // A local principal is synchronous: no promise, no extra microtask per request.
    if (p instanceof Promise) p.then(go, (e: unknown) => refuse(e, res, next));
    else go(p);
  };
  const limited = s.failedAuthLimiter
    ? (req: Request, res: Response, next: NextFunction) => { void s.failedAuthLimiter!(req, res, () => authenticate(req, res, next)); }
    : authenticate;
  return function mcpPipeline(req, res, next) {
    s.securityHeaders(req, res, () => {});
    // Responses carry per-user data and the effects of tokens: never cache them.
    res.setHeader('cache-control', 'no-store');
    if (!s.guard(req, res) || s.cors(req, res)) return;
    if (!(req.method in HANDLERS)) {
      res.setHeader('allow', 'GET, POST, DELETE');
      return sendJson(res, 405, rpcError(ErrorCodes.InvalidRequest, 'Method Not Allowed'));
    }
    limited(req, res, next);
  };
}

function refuse(e: unknown, res: Response, next: NextFunction): void {
  if (e instanceof RefusedError) sendJson(res, e.refusal.status, e.refusal.body, e.refusal.headers);
  else next(e);
}
