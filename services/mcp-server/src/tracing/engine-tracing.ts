/**
 * The engine's part of a trace: name the request span after the MCP method (and tool or
 * prompt), and run the method handler in a child span, so `ctx.span` is the handler's span.
 */
import { trace, type Span } from '@opentelemetry/api';
import { endWithError, tracer } from './tracing.js';

const NAME_ATTRIBUTE: Record<string, string> = { 'tools/call': 'gen_ai.tool.name', 'prompts/get': 'gen_ai.prompt.name', 'resources/read': 'mcp.resource.uri' };

/** Run `handler` in a child span of the active request span, naming both after the method. */
export function traceHandler<T>(method: string, name: string, era: string, handler: () => Promise<T>): Promise<T> {
  const title = name ? `${method} ${name}` : method;
  const attributes: Record<string, string> = { 'mcp.method.name': method, 'mcp.protocol.era': era };
  const key = NAME_ATTRIBUTE[method];
  if (key && name) attributes[key] = name;
  const request = trace.getActiveSpan();
  request?.updateName(title);
  request?.setAttributes(attributes);
  return tracer.startActiveSpan(`handler ${title}`, { attributes }, async (span: Span) => {
    try {
      const out = await handler();
      span.end();
      return out;
    } catch (e) {
      endWithError(span, e);
      throw e;
    }
  });
}
