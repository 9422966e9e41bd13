/**
 * Our server as the benchmark drives it: createMcpServer + createApp (no rate limits, silent
 * logger), the echo tool plus filler tools up to --tools N, and three bench-only tools:
 * `trigger_change` (adds or removes a tool, so every listen stream gets list_changed) and
 * `mem` (GC, then process.memoryUsage()), `stats` (RSS and event-loop delay, no GC).
 *
 *   --tools N            registered tools in all (default 5)
 *   --auth none|jwt      local principal, or RS256 JWTs from --issuer (default none)
 *   --issuer URL         the issuer for --auth jwt; keys are fetched before READY
 *   --sessions           2025 sessions (stateful) instead of stateless
 *   --page-size N        list page size (default: the engine's, 100)
 *   --rate-limit         the rate limiters on (failed-auth throttle at its defaults)
 *   --metrics            Prometheus metrics on (as MCP_METRICS does, process metrics
 *                        included), scraped in-process every 5 s
 *   --no-process-metrics with --metrics: without prom-client's Node.js and process metrics
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import {
  buildProtectedResourceMetadata, createTokenVerifier, protectedResourceMetadataUrl,
} from '../../services/mcp-server/src/auth/index.js';
import { createBearerAuth } from '../../services/mcp-server/src/http/bearer-auth.js';
import { createApp, createMcpServer, HeadResponse, defineTool, localPrincipal, silentLogger, type AppOptions } from '../../services/mcp-server/src/index.js';
import { announce, arg, RESOURCE, TOOL } from '../lib/common.js';
import { createPromMetrics } from '../../services/mcp-server/src/observability/prom-metrics.js';
import { setMetrics } from '../../services/mcp-server/src/observability/sink.js';

const toolCount = Number(arg('tools', '5'));
const authMode = arg('auth', 'none');
const pageSize = arg('page-size');
const SCOPE = 'mcp:tools';

const echo = defineTool({
  name: TOOL,
  description: 'Echoes the text back',
  input: z.object({ text: z.string().describe('Text to echo') }),
  handler: ({ text }) => text,
});
const mem = defineTool({
  name: 'mem',
  description: 'Bench only: collect garbage and report process memory',
  handler: () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.(); gc?.();
    return { content: [{ type: 'text' as const, text: JSON.stringify(process.memoryUsage()) }] };
  },
});
// Event-loop delay, sampled from start; `stats` reports and resets it (the soak reads it every second).
const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
const stats = defineTool({
  name: 'stats',
  description: 'Bench only: RSS, heap and event-loop delay percentiles since the last call (no GC)',
  handler: () => {
    const m = process.memoryUsage();
    const ms = (ns: number) => ns / 1e6;
    const out = { rss: m.rss, heapUsed: m.heapUsed, eldP50: ms(eld.percentile(50)), eldP99: ms(eld.percentile(99)), eldMax: ms(eld.max) };
    eld.reset();
    return { content: [{ type: 'text' as const, text: JSON.stringify(out) }] };
  },
});
let dynamic = 0;
const triggerChange = defineTool({
  name: 'trigger_change',
  description: 'Bench only: add or remove a tool so listeners get notifications/tools/list_changed',
  handler: () => {
    if (server.registry.get('tool', 'dynamic')) server.registry.remove('tool', 'dynamic');
    else server.registry.tool({ name: 'dynamic', description: `dynamic ${++dynamic}`, handler: () => 'ok' });
    return 'changed';
  },
});
// Fillers look like ordinary tools: a sentence of description and two typed arguments.
const fillers = Array.from({ length: Math.max(0, toolCount - 4) }, (_, i) => defineTool({
  name: `tool_${String(i).padStart(3, '0')}`,
  description: `Looks up record ${i} in the inventory and returns its current status and owner`,
  input: z.object({ id: z.string().describe('Record identifier'), verbose: z.boolean().optional().describe('Include history') }),
  annotations: { readOnlyHint: true },
  handler: ({ id }) => `record ${id}`,
}));

const server = await createMcpServer({
  serverInfo: { name: 'mcp-resource-server-bench', version: '0.0.0' },
  tools: [echo, mem, triggerChange, stats, ...fillers],
  ...(pageSize ? { pageSize: Number(pageSize) } : {}),
});

// --metrics: the sink the server installs for MCP_METRICS, and a scrape three times as often
// as Prometheus's default 15 s interval, so the cost measured includes rendering the text.
if (process.argv.includes('--metrics')) {
  const { sink, register } = createPromMetrics({ catalogue: server.registry, processMetrics: !process.argv.includes('--no-process-metrics') });
  setMetrics(sink);
  setInterval(() => { void register.metrics(); }, 5_000).unref();
}

let auth: AppOptions['auth'];
if (authMode === 'jwt') {
  const issuer = arg('issuer');
  if (!issuer) throw new Error('--auth jwt needs --issuer URL');
  const verifier = createTokenVerifier({ mode: 'jwt', resource: RESOURCE, jwt: { issuers: [issuer] } });
  const status = await verifier.warmUp();
  if (status.state !== 'ready') throw new Error(`issuer not ready: ${JSON.stringify(status)}`);
  const metadata = buildProtectedResourceMetadata({ resource: RESOURCE, authorizationServers: [issuer], scopesSupported: [SCOPE] });
  auth = { bearer: createBearerAuth({ verifier, resourceMetadataUrl: protectedResourceMetadataUrl(RESOURCE), defaultScopes: [SCOPE], logger: silentLogger }), metadata };
}

const { handler, endpoint } = createApp({
  engine: server.engine,
  ...(auth ? { auth } : { authenticate: () => localPrincipal('bench', [SCOPE], 'bench') }),
  sessions: process.argv.includes('--sessions') ? 'sessions' : 'stateless',
  // The listen scenario opens thousands of streams as one principal: lift the stream quotas.
  quotas: { streams: 1_000_000, streamsPerPrincipal: 1_000_000 },
  // --rate-limit: the shipped limiters (the soak's bad tokens meet the failed-auth throttle).
  ...(process.argv.includes('--rate-limit') ? { rateLimit: { limit: 1_000_000 } } : {}),
  origin: { allowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'], allowedHosts: ['127.0.0.1', 'localhost'] },
});
// The listener start-http serves with: the MCP path without Express, headers as one list.
await announce(createServer({ ServerResponse: HeadResponse }, handler), '/mcp', async () => { endpoint.close(); await server.close(); });
