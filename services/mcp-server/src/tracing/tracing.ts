/**
 * OpenTelemetry tracing through the API package only: without a registered SDK every call
 * here is a no-op, and while tracing is off (the default) the server does not even make
 * them. One server span per MCP HTTP request (continuing a W3C `traceparent` from the
 * client), a child span for token verification, and the engine adds the MCP method, the
 * tool or prompt name and a child span for the handler (engine-tracing.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Principal } from '../mcp/principal.js';

/** The tracer every span of this server comes from. */
export const tracer = trace.getTracer('mcp-resource-server');

/** A span that records nothing, for `ctx.span` when tracing is off. */
export const NOOP_SPAN: Span = trace.wrapSpanContext({ traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 });

/** True once start-up (or a test) turned tracing on; read when apps are built and per request by the engine. */
export let tracingOn = false;

/** Turn tracing on or off (an SDK must be registered for spans to go anywhere). */
export function setTracing(on: boolean): void {
  tracingOn = on;
}

/** Record an error on a span and end it. */
export function endWithError(span: Span, e: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
  span.end();
}

/** Wrap the MCP pipeline: a server span per request, parented by the client's traceparent. */
export function tracePipeline<Req extends IncomingMessage, Res extends ServerResponse>(pipeline: (req: Req, res: Res) => void): (req: Req, res: Res) => void {
  return function tracedPipeline(req, res) {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan('mcp', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), pipeline, undefined, req, res);
  };
}

/** Wrap authentication in a child span `mcp.auth.verify` (no token or claim on it). */
export function traceAuthenticate(authenticate: (req: IncomingMessage) => Principal | Promise<Principal>): (req: IncomingMessage) => Principal | Promise<Principal> {
  return (req) => tracer.startActiveSpan('mcp.auth.verify', (span) => {
    let p: Principal | Promise<Principal>;
    try { p = authenticate(req); } catch (e) { endWithError(span, e); throw e; }
    if (!(p instanceof Promise)) { span.end(); return p; }
    return p.then((principal) => { span.end(); return principal; }, (e: unknown) => { endWithError(span, e); throw e; });
  });
}
