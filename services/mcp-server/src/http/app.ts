/**
 * The Express application: request ids and access log, RFC 9728 metadata, security headers,
 * Origin/Host guard, CORS, rate limits, bearer authentication, the MCP endpoint and health
 * probes. Each step is built once here; per request they only look things up.
 */
import type { IncomingMessage } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { createMcpEndpoint, type McpEndpoint } from './mcp-endpoint.js';
import type { McpEndpointOptions } from './endpoint-options.js';
import { createOriginGuard, type OriginGuardOptions } from './origin-guard.js';
import { sendJson } from './response-channel.js';
import type { Principal } from '../mcp/principal.js';
import type { ProtectedResourceMetadata } from '../auth/index.js';
import { protectedResourceMetadataPaths } from '../auth/index.js';
import type { BearerAuth } from './bearer-auth.js';
import { createCors } from './cors.js';
import { createRateLimiters, type RateLimitOptions } from './rate-limit.js';
import { trackRequest } from './request-id.js';
import { createWellKnownHandler } from './well-known.js';
import { createMcpPipeline } from './mcp-pipeline.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { countRefusals } from '../observability/count-refusals.js';
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
  logger?: Logger;
  /** Serve metrics at this path on this app (MCP_METRICS=path); never behind the MCP auth. */
  metrics?: { path: string; handler: (req: IncomingMessage, res: Response) => void };
}

/** Build the app; `endpoint.close()` ends sessions and streams. */
export function createApp(options: AppOptions): { app: Express; endpoint: McpEndpoint } {
  const { path = '/mcp', origin, auth, authenticate, rateLimit, trustProxy = false, ready, logger = silentLogger, metrics, ...endpointOptions } = options;
  if (!path.startsWith('/')) throw new TypeError(`path must start with "/", got "${path}"`);
  if (!auth === !authenticate) throw new TypeError('createApp needs exactly one of { auth } (OAuth) or { authenticate } (local principal)');
  const principals = new WeakMap<IncomingMessage, Principal>();
  const endpoint = createMcpEndpoint({
    ...endpointOptions,
    authenticate: (req) => principals.get(req) ?? Promise.reject(new Error('request reached the endpoint unauthenticated')),
    insufficientScope: auth?.bearer.insufficientScope,
  });
  const guard = createOriginGuard(origin);
  const cors = createCors(origin.allowedOrigins);
  const limiters = rateLimit ? createRateLimiters(rateLimit) : undefined;
  const wellKnown = auth ? createWellKnownHandler(auth.metadata, protectedResourceMetadataPaths(auth.metadata.resource)) : undefined;
  // Tracing is decided once here: while it is off the request path has no span code at all.
  const resolve = tracingOn ? traceAuthenticate(auth ? auth.bearer.authenticate : authenticate!) : auth ? auth.bearer.authenticate : authenticate!;

  const securityHeaders = helmet({
    // JSON and SSE only: nothing may load, frame or be framed.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
  });
  const built = createMcpPipeline({
    securityHeaders, guard, cors, authenticate: resolve, principals, endpoint,
    failedAuth: limiters?.failedAuth, requestLimiter: limiters && countRefusals(limiters.requests),
  });
  const pipeline = tracingOn ? tracePipeline(built) : built;
  const mcpPaths = new Set([path, `${path}/`]);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(function front(req, res, next) {
    trackRequest(req, res, logger);
    if (wellKnown?.(req, res)) return;
    const q = req.url.indexOf('?');
    if (mcpPaths.has(q < 0 ? req.url : req.url.slice(0, q))) return pipeline(req, res, next);
    next();
  });
  app.use(securityHeaders);
  if (metrics) app.get(metrics.path, metrics.handler);
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', (_req, res) => {
    const r = ready ? ready() : { ready: true };
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', ...r.detail });
  });

  app.use((_req, res) => { res.setHeader('cache-control', 'no-store'); res.status(404).json({ error: 'not_found' }); });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error('unhandled error', { error: err });
    res.setHeader('cache-control', 'no-store');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
  });
  return { app, endpoint };
}
