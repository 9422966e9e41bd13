/**
 * Load the OpenTelemetry SDK and OTLP exporter when tracing is configured. They are optional
 * dependencies, imported dynamically: a server without tracing never loads them, and an
 * image built without them still starts (with a warning) when tracing is asked for.
 */
import type { Logger } from '../logging/logger.js';
import { setTracing } from './tracing.js';

/** Where spans go (from MCP_TRACING / OTEL_EXPORTER_OTLP_* in config.ts). */
export interface TracingSetup { tracesUrl: string }

/** Register a NodeTracerProvider exporting over OTLP/HTTP; returns its shutdown, or undefined when the packages are missing. */
export async function startTracingSdk(setup: TracingSetup, logger: Logger): Promise<(() => Promise<void>) | undefined> {
  try {
    const [node, otlp] = await Promise.all([import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/exporter-trace-otlp-http')]);
    // The service name comes from OTEL_SERVICE_NAME through the SDK's own resource detection.
    const provider = new node.NodeTracerProvider({
      spanProcessors: [new node.BatchSpanProcessor(new otlp.OTLPTraceExporter({ url: setup.tracesUrl }))],
    });
    // Also installs the AsyncLocalStorage context manager and the W3C traceparent propagator.
    provider.register();
    setTracing(true);
    logger.info('tracing on', { tracesUrl: setup.tracesUrl });
    return async () => { setTracing(false); await provider.shutdown(); };
  } catch (e) {
    logger.warn('tracing is configured but the optional packages @opentelemetry/sdk-trace-node and @opentelemetry/exporter-trace-otlp-http could not be loaded; serving without traces', { error: e });
    return undefined;
  }
}
