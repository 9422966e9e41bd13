/**
 * The Express application: security headers, the Origin/Host guard, the MCP endpoint and
 * health probes. Kept thin; the protocol lives in mcp/ and the endpoint in mcp-endpoint.ts.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { createMcpEndpoint, type McpEndpoint } from './mcp-endpoint.js';
import type { McpEndpointOptions } from './endpoint-options.js';
import { createOriginGuard, type OriginGuardOptions } from './origin-guard.js';
import { rpcError, sendJson } from './response-channel.js';
import { ErrorCodes } from '../mcp/protocol.js';

/** Options for createApp. */
export interface AppOptions extends McpEndpointOptions {
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  origin: OriginGuardOptions;
  /** Express `trust proxy` setting for deployments behind an ingress. */
  trustProxy?: boolean | number | string;
  /** Extra readiness check for `/readyz`. */
  ready?: () => { ready: boolean; detail?: Record<string, unknown> };
}

/** Build the app; `endpoint.close()` ends sessions and streams. */
export function createApp(options: AppOptions): { app: Express; endpoint: McpEndpoint } {
  const { path = '/mcp', origin, trustProxy = false, ready, ...endpointOptions } = options;
  if (!path.startsWith('/')) throw new TypeError(`path must start with "/", got "${path}"`);
  const endpoint = createMcpEndpoint(endpointOptions);
  const guard = createOriginGuard(origin);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
  }));

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', (_req, res) => {
    const r = ready ? ready() : { ready: true };
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', ...r.detail });
  });

  const mcp = express.Router();
  mcp.use((req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    if (guard(req, res)) next();
  });
  mcp.post('/', wrap(endpoint.post));
  mcp.get('/', wrap(endpoint.get));
  mcp.delete('/', wrap(endpoint.delete));
  mcp.all('/', (_req, res) => { res.setHeader('allow', 'GET, POST, DELETE'); sendJson(res, 405, rpcError(ErrorCodes.InvalidRequest, 'Method Not Allowed')); });
  app.use(path, mcp);

  app.use((_req, res) => { res.setHeader('cache-control', 'no-store'); res.status(404).json({ error: 'not_found' }); });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    void err;
    if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
  });
  return { app, endpoint };
}

function wrap(fn: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => { fn(req, res).catch(next); };
}
