/**
 * Start the Streamable HTTP server from configuration: OAuth when issuers are configured,
 * otherwise a loopback-only local principal for development.
 */
import type { Server } from 'node:http';
import { ConfigError, type Config } from '../config/config.js';
import { createApp } from '../http/app.js';
import { createHttpServer, httpLimitsFromConfig } from '../http/http-server.js';
import { quotasFromConfig } from '../http/quotas.js';
import { isLoopbackBind, LOOPBACK_HOSTS, LOOPBACK_ORIGINS } from '../http/origin-guard.js';
import type { Logger } from '../logging/logger.js';
import { localPrincipal } from '../mcp/principal.js';
import type { McpServer } from '../server.js';
import type { StateStore } from '../state/store.js';
import type { AuthSetup } from './auth-from-config.js';
import { startObservability } from './observability.js';

/** How long close() lets requests in flight finish before cutting their connections. */
export const DRAIN_MS = 8_000;

/** A running HTTP server and how to stop it. */
export interface RunningHttp {
  server: Server;
  url: string;
  /**
   * Graceful stop: no new connections, long-lived streams ended, requests in flight finish
   * (up to `graceMs`, default DRAIN_MS, then their connections are cut).
   */
  close(graceMs?: number): Promise<void>;
}

/** Listen on HOST:PORT with the given auth (or none); `shared` is the replicas' store (REDIS_URL). */
export async function startHttp(config: Config, mcp: McpServer, auth: AuthSetup | undefined, logger: Logger, shared?: StateStore): Promise<RunningHttp> {
  const loopback = isLoopbackBind(config.HOST);
  if (!auth && !loopback && !config.MCP_ALLOW_UNAUTHENTICATED_REMOTE) {
    throw new ConfigError(`HOST=${config.HOST} is not a loopback address and no issuer is configured (MCP_AUTH_ISSUERS). Configure an issuer, bind HOST=127.0.0.1, or set MCP_ALLOW_UNAUTHENTICATED_REMOTE=true if you really mean it.`);
  }
  const local = localPrincipal(config.MCP_LOCAL_SUBJECT, config.MCP_LOCAL_SCOPES);
  // Before the app is built: it decides once whether requests are traced.
  const observability = await startObservability(config, mcp.engine.services.registry, logger);
  // Set first thing in close(): /readyz fails before anything stops (see close below).
  let draining = false;
  const { handler, endpoint } = createApp({
    engine: mcp.engine,
    ...(auth ? { auth: { bearer: auth.bearer, metadata: auth.metadata } } : { authenticate: () => local }),
    sessions: config.MCP_SESSIONS,
    // Sessions, client replies and cancellations shared by every replica (REDIS_URL).
    ...(shared ? { state: shared } : {}),
    maxBodyBytes: config.MCP_MAX_BODY_BYTES,
    quotas: quotasFromConfig(config),
    path: config.MCP_PATH,
    trustProxy: config.MCP_TRUST_PROXY,
    logger,
    ...(observability.route ? { metrics: observability.route } : {}),
    rateLimit: {
      windowMs: config.MCP_RATE_LIMIT_WINDOW_MS, limit: config.MCP_RATE_LIMIT_MAX,
      failedAuthLimit: config.MCP_RATE_LIMIT_FAILED_AUTH_MAX, failedAuthDelayMs: config.MCP_AUTH_FAILURE_DELAY_MS,
      ...(shared ? { shared } : {}),
    },
    origin: {
      allowedOrigins: config.MCP_ALLOWED_ORIGINS ?? LOOPBACK_ORIGINS,
      allowedHosts: config.MCP_ALLOWED_HOSTS ?? (loopback ? LOOPBACK_HOSTS : undefined),
    },
    draining: () => draining,
    ready: auth ? () => {
      const s = auth.verifier.status();
      // Degraded (issuer unreachable, cached keys still valid) keeps serving: stay ready but say so.
      return { ready: s.state !== 'not_ready', detail: { auth: s.state } };
    } : undefined,
  });
  // Timeouts and a connection cap for slow and greedy clients (MCP_*_TIMEOUT_MS, MCP_MAX_CONNECTIONS).
  // The listener serves the MCP path without Express; everything else goes through the app.
  const server: Server = createHttpServer(handler, httpLimitsFromConfig(config)).listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}${config.MCP_PATH}`;
  if (!auth) logger.warn('authentication is disabled: every request runs as the local principal (loopback only)', { subject: local.subject, scopes: local.scopes });
  return {
    server,
    url,
    close: (graceMs = DRAIN_MS) => new Promise<void>((resolve) => {
      // Readiness fails first (issue #9): a probe or load balancer that still reaches us on
      // an open connection hears 503 `draining` and stops sending new work here.
      draining = true;
      // A stop (SIGTERM from `docker compose stop`, a rolling update) must not fail the calls
      // in flight: stop listening, end the streams that only end when told to (GET streams,
      // subscriptions/listen), and let every other response finish. Keep-alive connections are
      // closed as soon as they fall idle (checked every 50 ms), not after keepAliveTimeout.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        void observability.close().then(resolve, resolve);
      });
      endpoint.close();
      server.closeIdleConnections();
    }),
  };
}
