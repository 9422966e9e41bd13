/**
 * `npx tsx bench/metrics-micro.ts`: CPU cost of the metrics a warm-JWT tools/call records
 * (token-cache lookup, tool call counter and latency histogram, request counter), measured
 * in a loop. End-to-end paired rounds (`npm run bench`, metrics-overhead) are too noisy on a
 * shared 2-core machine to resolve a cost under 1 %; this gives the per-request figure to
 * divide by the per-request time of the bench (docs/benchmarks.md).
 */
import { z } from 'zod';
import { createPromMetrics } from '../services/mcp-server/src/observability/prom-metrics.js';
import { Registry } from '../services/mcp-server/src/mcp/registry.js';
import { defineTool } from '../services/mcp-server/src/index.js';

const catalogue = new Registry();
catalogue.tool(defineTool({ name: 'echo', description: 'Echoes', input: z.object({ text: z.string() }), handler: ({ text }) => text }));
const { sink } = createPromMetrics({ catalogue, processMetrics: false });
const N = 5_000_000;
for (let round = 0; round < 3; round++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    sink.tokenCache(true, 1);
    sink.call('tool', 'echo', 'ok', 0.0003);
    sink.mcpRequest('tools/call', 200, 'modern');
  }
  console.log(`round ${round}: ${(Number(process.hrtime.bigint() - t0) / N).toFixed(0)} ns of metrics per request`);
}
