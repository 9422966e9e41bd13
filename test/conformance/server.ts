/**
 * The conformance server: a thin composition of our framework exposing the fixtures the
 * official suite (@modelcontextprotocol/conformance) exercises. See docs/conformance-fixtures.md.
 *
 *   tsx test/conformance/server.ts --port 0 --host 127.0.0.1 --mode stateless|sessions
 *
 * Prints exactly `LISTENING http://localhost:<port>/mcp` on stdout once it accepts requests.
 * --mode stateless serves the 2026-07-28 wire; --mode sessions the 2025-11-25 session wire.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createApp } from '../../services/mcp-server/src/http/app.js';
import { LOOPBACK_HOSTS, LOOPBACK_ORIGINS } from '../../services/mcp-server/src/http/origin-guard.js';
import { createLogger } from '../../services/mcp-server/src/logging/logger.js';
import { localPrincipal } from '../../services/mcp-server/src/mcp/principal.js';
import { createMcpServer } from '../../services/mcp-server/src/server.js';
import { prompts, resources, templates } from './fixtures-catalogue.js';
import { legacyInputTools, mrtrPrompt, mrtrTools } from './fixtures-input.js';
import { taskTools } from './fixtures-tasks.js';
import { contentTools, listChangeTriggers, schemaTools, statelessDiagnostics } from './fixtures-tools.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    mode: { type: 'string', default: 'stateless' },
  },
});
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`--port must be 0-65535, got ${args.port}`);
if (args.mode !== 'stateless' && args.mode !== 'sessions') throw new TypeError(`--mode must be stateless or sessions, got ${args.mode}`);

const logger = createLogger({ level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn', service: 'conformance-server' });
const server = await createMcpServer({
  serverInfo: { name: 'mcp-resource-server-conformance', version: '0.1.0' },
  logger,
  tools: [...contentTools, ...statelessDiagnostics, ...mrtrTools, ...legacyInputTools, ...schemaTools, ...taskTools],
  prompts: [...prompts, mrtrPrompt],
  resources,
  templates,
});
for (const tool of listChangeTriggers(server.registry)) server.registry.tool(tool);

// `handler`: the node:http listener production serves (start-http.ts), not the embeddable Express app.
const { handler, endpoint } = createApp({
  engine: server.engine,
  sessions: args.mode,
  // The suite does not do OAuth; every request is the same local principal.
  authenticate: () => localPrincipal('conformance'),
  // DNS-rebinding defence: loopback Host names and Origins only (any port).
  origin: { allowedHosts: LOOPBACK_HOSTS, allowedOrigins: LOOPBACK_ORIGINS },
});

const http = createServer(handler);
http.listen(port, args.host, () => {
  const { port: actual } = http.address() as AddressInfo;
  process.stdout.write(`LISTENING http://localhost:${actual}/mcp\n`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  endpoint.close();
  http.close();
  http.closeAllConnections();
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
