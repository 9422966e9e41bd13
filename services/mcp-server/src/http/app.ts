/**
 * The HTTP application: request ids and access log, RFC 9728 metadata, security headers,
 * Origin/Host guard, CORS, rate limits, bearer authentication, the MCP endpoint and health
 * probes. Each step is built once here; per request they only look things up.
 *
 * Two ways in, one pipeline: `handler` is a plain node:http listener that serves the MCP path
 * itself (no Express prototypes, router or `res.locals` on the hot path) and hands every other
 * path to Express; `app` is the Express application for embedding (`app.listen`,
 * `outer.use('/prefix', app)`), whose first middleware runs the same pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createMcpEndpoint, type McpEndpoint } from './mcp-endpoint.js';
import type { McpEndpointOptions } from './endpoint-options.js';
import { createOriginGuard, type OriginGuardOptions } from './origin-guard.js';
import { sendJson } from './response-channel.js';
import type { Principal } from '../mcp/principal.js';
import type { ProtectedResourceMetadata } from '../auth/index.js';
import { protectedResourceMetadataPaths } from '../auth/index.js';
import type { BearerAuth } from './bearer-auth.js';
import { clientAddress, decorateForwarded, type TrustProxy } from './client-address.js';
import { createCors } from './cors.js';
import { createRateLimiters, type RateLimitOptions } from './rate-limit.js';
import { createRequestTracker } from './request-id.js';
import { releaseResponse } from './response-headers.js';
import { createHelmet, createSecurityHeaders } from './security-headers.js';
import { createWellKnownHandler } from './well-known.js';
import { createMcpPipeline, principalOfRequest, type McpHandler } from './mcp-pipeline.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { traceAuthenticate, tracePipeline, tracingOn } from '../tracing/tracing.js';

/** Options for createApp. */
export interface AppOptions extends Omit<McpEndpointOptions, 'authenticate' | 'insufficientScope'> {
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  origin: OriginGuardOptions;
  /** OAuth resource server: bearer verification and the RFC 9728 document. */
  auth?: { bearer: BearerAuth; metadata: ProtectedResourceMetadata };
  /** Without `auth`: who every request runs as (local development, tests). */
  authenticate?: (req: IncomingMessage) => Principal | Promise<Principal>;
  /** Rate limits; none when absent (embedding apps and tests opt in). */
  rateLimit?: RateLimitOptions;
  /**
   * Express `trust proxy` setting for deployments behind an ingress: decides the client
   * address the failed-auth throttle and the pre-auth request bucket key on (docs/security.md).
   */
  trustProxy?: boolean | number | string;
  /** Readiness for `/readyz` (issuer metadata and keys loaded). */
  ready?: () => { ready: boolean; detail?: Record<string, unknown> };
  /** True once a graceful stop began: `/readyz` answers 503 `draining` so load balancers stop routing here. */
  draining?: () => boolean;
  logger?: Logger;
  /** Serve metrics at this path on this app (MCP_METRICS=path); never behind the MCP auth. */
  metrics?: { path: string; handler: (req: IncomingMessage, res: Response) => void };
}

/** What createApp builds. */
export interface CreatedApp {
  /** The Express application, for embedding; serves the MCP path through the same pipeline. */
  app: Express;
  /** The node:http listener to serve with (`createServer({ ServerResponse: HeadResponse }, handler)`): MCP path without Express. */
  handler: McpHandler;
  /** `endpoint.close()` ends sessions and streams. */
  endpoint: McpEndpoint;
}

/** Log an unexpected error and answer 500 JSON, or cut a response that already started. */
function internalError(logger: Logger, err: unknown, res: ServerResponse): void {
  logger.error('unhandled error', { error: err });
  // Half a response cannot be turned into an error reply: end the connection instead.
  if (res.headersSent) { res.destroy(); return; }
  res.setHeader('cache-control', 'no-store');
  sendJson(res, 500, { error: 'internal_error' });
}

/** Build the app and its listener. */
export function createApp(options: AppOptions): CreatedApp {
  const { path = '/mcp', origin, auth, authenticate, rateLimit, trustProxy = false, ready, draining, logger = silentLogger, metrics, ...endpointOptions } = options;
  if (!path.startsWith('/')) throw new TypeError(`path must start with "/", got "${path}"`);
  if (!auth === !authenticate) throw new TypeError('createApp needs exactly one of { auth } (OAuth) or { authenticate } (local principal)');
  const endpoint = createMcpEndpoint({
    ...endpointOptions,
    authenticate: (req) => principalOfRequest(req) ?? Promise.reject(new Error('request reached the endpoint unauthenticated')),
    insufficientScope: auth?.bearer.insufficientScope,
  });
  const limiters = rateLimit ? createRateLimiters(rateLimit, logger) : undefined;
  const wellKnown = auth ? createWellKnownHandler(auth.metadata, protectedResourceMetadataPaths(auth.metadata.resource)) : undefined;
  // Tracing is decided once here: while it is off the request path has no span code at all.
  const resolve = tracingOn ? traceAuthenticate(auth ? auth.bearer.authenticate : authenticate!) : auth ? auth.bearer.authenticate : authenticate!;
  const helmet = createHelmet();
  const trackRequest = createRequestTracker(logger);

  const configure = (a: Express): Express => { a.disable('x-powered-by'); a.set('trust proxy', trustProxy); return a; };
  const app = configure(express());
  // Express's own compiled predicate, so both mounts agree on the client address.
  const trust = app.get('trust proxy fn') as TrustProxy;
  const onError = (err: unknown, _req: IncomingMessage, res: ServerResponse) => internalError(logger, err, res);
  const built = createMcpPipeline({
    headers: createSecurityHeaders(helmet), guard: createOriginGuard(origin), cors: createCors(origin.allowedOrigins),
    authenticate: resolve, endpoint, onError,
    clientAddress: (req) => clientAddress(req, trust),
    failedAuth: limiters?.failedAuth, requestLimiter: limiters?.requests,
  });
  const pipeline = tracingOn ? tracePipeline(built) : built;
  const slashed = `${path}/`;
  const isMcpPath = (url: string) => {
    const q = url.indexOf('?');
    const p = q < 0 ? url : url.slice(0, q);
    return p === path || p === slashed;
  };

  // Everything but the MCP path and the metadata: shared by the embeddable app and the listener.
  const routes = express.Router();
  routes.use(helmet);
  if (metrics) routes.get(metrics.path, metrics.handler);
  routes.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  routes.get('/readyz', (_req, res) => {
    if (draining?.()) { res.status(503).json({ status: 'draining' }); return; }
    const r = ready ? ready() : { ready: true };
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', ...r.detail });
  });
  routes.use((_req, res) => { res.setHeader('cache-control', 'no-store'); res.status(404).json({ error: 'not_found' }); });
  routes.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => internalError(logger, err, res));

  app.use(function front(req, res, next) {
    trackRequest(req, res);
    if (!isMcpPath(req.url)) {
      if (!wellKnown) return next();
      // Answered before helmet runs: drop what an embedding app's Express may have added.
      res.removeHeader('x-powered-by');
      if (!wellKnown(req, res)) next();
      return;
    }
    // helmet removed it; an embedding app may have left Express's X-Powered-By on.
    res.removeHeader('x-powered-by');
    pipeline(req, res);
  });
  app.use(routes);

  const rest = configure(express());
  rest.use(routes);
  function handler(req: IncomingMessage, res: ServerResponse): void {
    trackRequest(req, res);
    if (isMcpPath(req.url ?? '/')) {
      // What Express would have derived under trust proxy (DPoP's htu reads it).
      decorateForwarded(req, trust);
      pipeline(req, res);
    } else if (!wellKnown?.(req, res)) {
      // Express replaces the response's prototype: pending headers and the finish hook move first.
      releaseResponse(res);
      rest(req as Request, res as Response);
    }
  }
  return { app, handler, endpoint };
}
