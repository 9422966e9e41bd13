/**
 * Tracing with an in-memory exporter: one server span per MCP request continuing the client's
 * W3C traceparent, named after the method and tool, with child spans for token verification
 * and the handler, and `ctx.span` being the handler's span.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { defineTool } from '../../src/index.js';
import { setTracing } from '../../src/tracing/tracing.js';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

const exporter = new InMemorySpanExporter();
const seen: { spanId?: string } = {};
const probe = defineTool({
  name: 'span_probe',
  description: 'Test only: reports and annotates ctx.span',
  scopes: ['mcp:tools'],
  handler: (_input, ctx) => {
    ctx.span.setAttribute('probe.seen', true);
    seen.spanId = ctx.span.spanContext().spanId;
    return 'ok';
  },
});

let h: Harness;
let manager: AsyncLocalStorageContextManager;
beforeAll(async () => {
  manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  setTracing(true);
  h = await startOAuthServer({ extraTools: [probe] });
});
afterAll(async () => {
  await h?.close();
  setTracing(false);
  trace.disable(); context.disable(); propagation.disable();
});

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

describe('tracing', () => {
  it('continues the client trace with request, verification and handler spans', async () => {
    exporter.reset();
    let r = request(h.origin).post('/mcp');
    for (const [k, v] of Object.entries(modernHeaders('tools/call', 'span_probe'))) r = r.set(k, v);
    const res = await r.set('authorization', `Bearer ${await h.token('alice')}`)
      .set('traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`)
      .send(JSON.stringify(modernBody('tools/call', { name: 'span_probe', arguments: {} })));
    expect(res.status).toBe(200);
    await new Promise((done) => setTimeout(done, 50)); // the request span ends on 'close'
    const spans = exporter.getFinishedSpans();
    const byName = (n: string) => spans.find((s) => s.name === n) as ReadableSpan;
    const root = byName('tools/call span_probe');
    const verify = byName('mcp.auth.verify');
    const handler = byName('handler tools/call span_probe');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.spanContext().traceId).toBe(TRACE_ID);
    expect(root.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(root.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'span_probe', 'http.response.status_code': 200 });
    for (const child of [verify, handler]) {
      expect(child.spanContext().traceId).toBe(TRACE_ID);
      expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    }
    expect(seen.spanId).toBe(handler.spanContext().spanId);
    expect(handler.attributes['probe.seen']).toBe(true);
    // No token, header or claim ends up on a span.
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toMatch(/Bearer|eyJ/);
  });

  it('starts a new trace without traceparent, and marks a failed verification', async () => {
    exporter.reset();
    let r = request(h.origin).post('/mcp');
    for (const [k, v] of Object.entries(modernHeaders('tools/list'))) r = r.set(k, v);
    expect((await r.set('authorization', 'Bearer nope').send(JSON.stringify(modernBody('tools/list')))).status).toBe(401);
    await new Promise((done) => setTimeout(done, 50));
    const spans = exporter.getFinishedSpans();
    const verify = spans.find((s) => s.name === 'mcp.auth.verify')!;
    const root = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(root.parentSpanContext).toBeUndefined();
    expect(verify.status.code).toBe(2); // ERROR
    expect(root.attributes['http.response.status_code']).toBe(401);
  });
});
