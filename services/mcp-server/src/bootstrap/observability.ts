/**
 * Metrics and tracing from configuration (docs/operations.md). Metrics: off, a path on the
 * main listener, or a listener of their own (127.0.0.1 by default). Tracing: the OTel SDK,
 * loaded only when configured.
 */
import type { Server } from 'node:http';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Registry } from '../mcp/registry.js';
import { createMetricsHandler, startMetricsServer } from '../observability/metrics-http.js';
import { createPromMetrics } from '../observability/prom-metrics.js';
import { setMetrics } from '../observability/sink.js';
import { startTracingSdk } from '../tracing/sdk.js';
import type { AppOptions } from '../http/app.js';

/** What startHttp needs: the route for MCP_METRICS=path, and how to stop. */
export interface Observability {
  route?: AppOptions['metrics'];
  close(): Promise<void>;
}

/** Start what the configuration asks for. */
export async function startObservability(config: Config, catalogue: Registry, logger: Logger): Promise<Observability> {
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT && `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`);
  const wantTracing = config.MCP_TRACING === 'on' || (config.MCP_TRACING === undefined && endpoint !== undefined);
  const stopTracing = wantTracing
    ? await startTracingSdk({ tracesUrl: endpoint ?? 'http://localhost:4318/v1/traces' }, logger)
    : undefined;
  let server: Server | undefined;
  let route: AppOptions['metrics'];
  if (config.MCP_METRICS !== 'off') {
    const { sink, register } = createPromMetrics({ catalogue });
    setMetrics(sink);
    if (config.MCP_METRICS === 'port') {
      server = await startMetricsServer(register, config.MCP_METRICS_HOST, config.MCP_METRICS_PORT, config.MCP_METRICS_PATH);
      const a = server.address();
      logger.info('metrics listening', { url: `http://${config.MCP_METRICS_HOST}:${typeof a === 'object' && a ? a.port : config.MCP_METRICS_PORT}${config.MCP_METRICS_PATH}` });
    } else {
      route = { path: config.MCP_METRICS_PATH, handler: createMetricsHandler(register) };
    }
  }
  return {
    route,
    async close() {
      await Promise.all([
        server && new Promise<void>((resolve) => server!.close(() => resolve())),
        stopTracing?.(),
      ]);
      setMetrics(undefined);
    },
  };
}
