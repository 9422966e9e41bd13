/**
 * One replica for `npm run test:cluster`: the production composition of src/main.ts (the
 * example catalogue, REDIS_URL through stateStoreFromConfig + shareHub, authFromConfig,
 * startHttp and its graceful SIGTERM drain), plus one test-only tool, `cluster_touch`, that
 * raises `resourceUpdated(uri)` so the test can make a change happen on a chosen replica, and
 * `cluster_confirm`, which reports progress around an elicitation (the session journey).
 * Configuration comes from the environment like the real server's.
 *
 *   node --import tsx test/cluster/replica.ts   (HOST, PORT, REDIS_URL, MCP_AUTH_ISSUERS, ...)
 */
import { z } from 'zod';
import { lifespan, prompts, resources, templates, tools } from '../../services/mcp-server/src/catalog.js';
import { authFromConfig } from '../../services/mcp-server/src/bootstrap/auth-from-config.js';
import { shareHub, stateStoreFromConfig } from '../../services/mcp-server/src/bootstrap/shared-state.js';
import { DRAIN_MS, startHttp } from '../../services/mcp-server/src/bootstrap/start-http.js';
import { loadConfig } from '../../services/mcp-server/src/config/config.js';
import { createLogger } from '../../services/mcp-server/src/logging/logger.js';
import { defineTool } from '../../services/mcp-server/src/mcp/define.js';
import { createMcpServer, type McpServer } from '../../services/mcp-server/src/server.js';

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });
if (!config.MCP_AUTH_ISSUERS) throw new Error('the cluster replica needs MCP_AUTH_ISSUERS');

const touch = defineTool({
  name: 'cluster_touch',
  description: 'Test only: raise notifications/resources/updated for a URI on this replica',
  scopes: ['mcp:tools'],
  input: z.object({ uri: z.string().min(1).max(2048) }),
  handler: ({ uri }) => { server.resourceUpdated(uri); return `touched ${uri} on ${process.pid}`; },
});

const confirm = defineTool({
  name: 'cluster_confirm',
  description: 'Test only: progress, an elicitation, progress again, then the answer and the pid of the replica that asked',
  scopes: ['mcp:tools'],
  input: z.object({ question: z.string().min(1).max(200) }),
  handler: async ({ question }, ctx) => {
    ctx.progress(1, 2, 'asking');
    const r = await ctx.input.elicit({
      mode: 'form', message: question,
      requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
    }, 'answer');
    ctx.progress(2, 2, 'answered');
    return `${String((r.content as { answer?: string } | undefined)?.answer)} (asked by pid ${process.pid})`;
  },
});

const { store, shared } = await stateStoreFromConfig(config, logger);
const server: McpServer = await createMcpServer({
  serverInfo: { name: 'mcp-resource-server-cluster-test', version: '0.0.0' },
  tools: [...tools, touch, confirm], prompts, resources, templates, lifespan, logger,
  secret: config.MCP_STATE_SECRET,
  store,
  pageSize: config.MCP_PAGE_SIZE,
});
const unshareHub = shared ? await shareHub(server.engine.services.hub, store, logger) : undefined;
const resource = config.MCP_RESOURCE_URI ?? `http://localhost:${config.PORT}${config.MCP_PATH}`;
const auth = authFromConfig(config, { resource, issuers: config.MCP_AUTH_ISSUERS, declaredScopes: server.registry.declaredScopes() }, logger);
await Promise.race([auth.verifier.warmUp(), new Promise((r) => setTimeout(r, 3000))]);
const http = await startHttp(config, server, auth, logger, shared ? store : undefined);
logger.info('MCP server listening', { url: http.url, resource });

// The same drain as src/main.ts.
const shutdown = (signal: string) => {
  logger.info('shutting down: draining requests in flight', { signal, graceMs: DRAIN_MS });
  setTimeout(() => process.exit(1), DRAIN_MS + 1_500).unref();
  void http.close(DRAIN_MS).then(() => server.close()).then(() => unshareHub?.()).then(() => store.close()).then(() => process.exit(0));
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
