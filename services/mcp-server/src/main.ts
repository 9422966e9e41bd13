#!/usr/bin/env node
/**
 * The `mcp-server` command: Streamable HTTP by default, `--stdio` for a local client that
 * spawns the server. Configuration comes from the environment (see .env.example).
 */
import { lifespan, prompts, resources, templates, tools } from './catalog.js';
import { authFromConfig, type AuthSetup } from './bootstrap/auth-from-config.js';
import { DRAIN_MS, startHttp } from './bootstrap/start-http.js';
import { startDevAuth, type DevAuth } from './bootstrap/dev-auth.js';
import { loadConfig, ConfigError, type Config } from './config/config.js';
import { createLogger, type Logger } from './logging/logger.js';
import { logAudit } from './logging/fast-lines.js';
import { shareHub, stateStoreFromConfig } from './bootstrap/shared-state.js';
import type { StateStore } from './state/store.js';
import { localPrincipal } from './mcp/principal.js';
import { createMcpServer, type McpServer } from './server.js';
import { serveStdio } from './stdio/stdio-server.js';

const VERSION = '0.1.0';

async function compose(config: Config, logger: Logger, auth: () => AuthSetup | undefined, store: StateStore): Promise<McpServer> {
  const server: McpServer = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: VERSION, title: 'MCP Resource Server' },
    instructions: 'Example tools: weather, time, caller identity and call statistics. Some tools need extra scopes.',
    tools, prompts, resources, templates, lifespan, logger,
    secret: config.MCP_STATE_SECRET,
    store,
    pageSize: config.MCP_PAGE_SIZE,
    tasks: { ttlMs: config.MCP_TASK_TTL_MS, maxPerPrincipal: config.MCP_MAX_TASKS_PER_PRINCIPAL, pollIntervalMs: config.MCP_TASK_POLL_INTERVAL_MS },
    exchangeToken: (principal, request) => {
      const fn = auth()?.exchangeToken;
      return fn ? fn(principal, request) : Promise.reject(new Error('token exchange is not configured'));
    },
    onAudit: (event, principal) => {
      logAudit(logger, event, principal.clientId);
      server.engine.services.state.calledTools?.record(event);
    },
  });
  return server;
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  // Logs always go to stderr, so stdout stays the JSON-RPC channel on STDIO.
  const logger = createLogger({ level: config.LOG_LEVEL });
  let auth: AuthSetup | undefined;
  // REDIS_URL: tasks, counters and notifications are shared by every replica (docs/deploy.md#redis).
  const { store, shared } = await stateStoreFromConfig(config, logger);
  const server = await compose(config, logger, () => auth, store);
  const unshareHub = shared ? await shareHub(server.engine.services.hub, store, logger) : undefined;

  if (argv.includes('--stdio')) {
    const t = serveStdio({ engine: server.engine, principal: localPrincipal(config.MCP_LOCAL_SUBJECT, config.MCP_LOCAL_SCOPES) });
    logger.info('serving MCP on stdio');
    await t.done;
    await server.close();
    await store.close();
    return;
  }

  const resource = config.MCP_RESOURCE_URI ?? `http://localhost:${config.PORT}${config.MCP_PATH}`;
  const declared = server.registry.declaredScopes();
  let devAuth: DevAuth | undefined;
  if (config.MCP_AUTH_ISSUERS) {
    auth = authFromConfig(config, { resource, issuers: config.MCP_AUTH_ISSUERS, declaredScopes: declared }, logger, store);
  } else if (config.MCP_DEV_AUTH) {
    devAuth = await startDevAuth(config, resource, declared, logger);
    auth = authFromConfig(config, devAuth.source, logger, store);
  }
  if (auth) {
    const status = await Promise.race([auth.verifier.warmUp(), new Promise((r) => setTimeout(r, 3000, undefined))]);
    if (!status) logger.warn('authorization server not reachable yet; will retry on first request', { issuers: auth.metadata.authorization_servers });
  }
  const http = await startHttp(config, server, auth, logger, shared ? store : undefined);
  logger.info('MCP server listening', { url: http.url, resource, sessions: config.MCP_SESSIONS, issuers: auth?.metadata.authorization_servers ?? [] });

  const shutdown = (signal: string) => {
    // Graceful drain: calls in flight finish (up to DRAIN_MS) before the lifespan stops;
    // Docker sends SIGKILL 10 s after SIGTERM, so the hard stop comes just before that.
    logger.info('shutting down: draining requests in flight', { signal, graceMs: DRAIN_MS });
    setTimeout(() => process.exit(1), DRAIN_MS + 1_500).unref();
    void http.close(DRAIN_MS).then(() => server.close()).then(() => unshareHub?.()).then(() => store.close()).then(() => devAuth?.close()).then(() => {
      logger.info('shut down');
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `mcp-server failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
