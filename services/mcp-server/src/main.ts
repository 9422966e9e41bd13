#!/usr/bin/env node
/**
 * The `mcp-server` command: Streamable HTTP by default, `--stdio` for a local client that
 * spawns the server. Configuration comes from the environment (see .env.example).
 */
import type { Server } from 'node:http';
import { lifespan, prompts, resources, templates, tools } from './catalog.js';
import { loadConfig, ConfigError, type Config } from './config/config.js';
import { createApp } from './http/app.js';
import { LOOPBACK_HOSTS, LOOPBACK_ORIGINS } from './http/origin-guard.js';
import { createLogger, type Logger } from './logging/logger.js';
import { localPrincipal } from './mcp/principal.js';
import { createMcpServer, type McpServer } from './server.js';
import { serveStdio } from './stdio/stdio-server.js';

const VERSION = '0.1.0';
const LOOPBACK_BIND = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

async function compose(config: Config, logger: Logger): Promise<McpServer> {
  const server: McpServer = await createMcpServer({
    serverInfo: { name: 'mcp-resource-server', version: VERSION, title: 'MCP Resource Server' },
    instructions: 'Example tools: weather, time, caller identity and call statistics. Some tools need extra scopes.',
    tools, prompts, resources, templates, lifespan, logger,
    secret: config.MCP_STATE_SECRET,
    pageSize: config.MCP_PAGE_SIZE,
    onAudit: (event, principal) => {
      logger.info('audit', { ...event, clientId: principal.clientId });
      server.engine.services.state.calledTools?.record(event);
    },
  });
  return server;
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const stdio = argv.includes('--stdio');
  // Logs always go to stderr, so stdout stays the JSON-RPC channel on STDIO.
  const logger = createLogger({ level: config.LOG_LEVEL });
  const server = await compose(config, logger);
  const principal = localPrincipal(config.MCP_LOCAL_SUBJECT, config.MCP_LOCAL_SCOPES);

  if (stdio) {
    const t = serveStdio({ engine: server.engine, principal });
    logger.info('serving MCP on stdio', { subject: principal.subject });
    await t.done;
    await server.close();
    return;
  }

  const loopback = LOOPBACK_BIND.test(config.HOST);
  if (!loopback && !config.MCP_ALLOW_UNAUTHENTICATED_REMOTE) {
    throw new ConfigError(`HOST=${config.HOST} is not a loopback address, and this build serves without authentication. Bind HOST=127.0.0.1, or set MCP_ALLOW_UNAUTHENTICATED_REMOTE=true if you really mean it.`);
  }
  const { app, endpoint } = createApp({
    engine: server.engine,
    authenticate: () => principal,
    sessions: config.MCP_SESSIONS,
    maxBodyBytes: config.MCP_MAX_BODY_BYTES,
    path: config.MCP_PATH,
    trustProxy: config.MCP_TRUST_PROXY,
    origin: {
      allowedOrigins: config.MCP_ALLOWED_ORIGINS ?? LOOPBACK_ORIGINS,
      allowedHosts: config.MCP_ALLOWED_HOSTS ?? (loopback ? LOOPBACK_HOSTS : undefined),
    },
  });
  const http: Server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => { http.once('listening', resolve); http.once('error', reject); });
  const addr = http.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  logger.warn('authentication is disabled: every request runs as the local principal', { subject: principal.subject, scopes: principal.scopes });
  logger.info('MCP server listening', { url: `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}${config.MCP_PATH}`, sessions: config.MCP_SESSIONS });

  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    endpoint.close();
    http.close(() => { void server.close().then(() => process.exit(0)); });
    http.closeAllConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `mcp-server failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
