/**
 * Tools the conformance suite calls on both wires (docs/conformance-fixtures.md §0.5, §1–§2):
 * content types, errors, progress, logging, and the stateless-lifecycle diagnostics.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { audio, embeddedText, image, text } from '../../services/mcp-server/src/mcp/content.js';
import { definePrompt, defineTool } from '../../services/mcp-server/src/mcp/define.js';
import type { Registry } from '../../services/mcp-server/src/mcp/registry.js';
import { PNG_1X1, WAV_SILENCE } from './media.js';

/**
 * Tools declared in plain JSON Schema 2020-12: `json-schema-2020-12` expects this input schema
 * back verbatim (docs/conformance-fixtures.md §3), and `http-custom-header-server-validation`
 * needs a string argument annotated `x-mcp-header` (§2).
 */
export const schemaTools = [
  defineTool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
    handler: (args) => `Received ${Object.keys(args).sort().join(', ') || 'no arguments'}`,
  }),
  defineTool({
    name: 'test_custom_headers',
    description: 'Echoes a region mirrored into the Mcp-Param-Region header',
    inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', description: 'Mirrored as Mcp-Param-Region', 'x-mcp-header': 'Region' },
        priority: { type: 'integer', description: 'Mirrored as Mcp-Param-Priority', 'x-mcp-header': 'Priority' },
        query: { type: 'string', description: 'Not mirrored' },
      },
      required: ['region'],
    },
    handler: (args) => `Region ${String(args.region)}`,
  }),
];

/** Tools whose results the suite inspects. */
export const contentTools = [
  defineTool({
    name: 'test_simple_text',
    description: 'Returns a simple text response',
    handler: () => 'This is a simple text response for testing.',
  }),
  defineTool({
    name: 'test_image_content',
    description: 'Returns a 1x1 PNG image',
    handler: () => ({ content: [image(PNG_1X1, 'image/png')] }),
  }),
  defineTool({
    name: 'test_audio_content',
    description: 'Returns a short WAV clip',
    handler: () => ({ content: [audio(WAV_SILENCE, 'audio/wav')] }),
  }),
  defineTool({
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource',
    handler: () => ({ content: [embeddedText('test://embedded-resource', 'This is an embedded resource content.')] }),
  }),
  defineTool({
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource content',
    handler: () => ({
      content: [
        text('Multiple content types test:'),
        image(PNG_1X1, 'image/png'),
        embeddedText('test://mixed-content-resource', JSON.stringify({ test: 'data', value: 123 }), 'application/json'),
      ],
    }),
  }),
  defineTool({
    name: 'test_error_handling',
    description: 'Always fails with a tool error result',
    handler: () => ({ content: [text('This tool intentionally returns an error for testing')], isError: true }),
  }),
  defineTool({
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100',
    handler: async (_args, ctx) => {
      ctx.progress(0, 100);
      await sleep(50, undefined, { signal: ctx.signal });
      ctx.progress(50, 100);
      await sleep(50, undefined, { signal: ctx.signal });
      ctx.progress(100, 100);
      return 'Progress test completed';
    },
  }),
  defineTool({
    name: 'test_tool_with_logging',
    description: 'Sends three info log messages while it runs',
    handler: async (_args, ctx) => {
      ctx.sendLog('info', 'Tool execution started');
      await sleep(50, undefined, { signal: ctx.signal });
      ctx.sendLog('info', 'Tool processing data');
      await sleep(50, undefined, { signal: ctx.signal });
      ctx.sendLog('info', 'Tool execution completed');
      return 'Logging test completed';
    },
  }),
  defineTool({
    name: 'test_reconnection',
    description: 'Returns after a short delay (SSE polling scenario)',
    handler: async (_args, ctx) => {
      await sleep(100, undefined, { signal: ctx.signal });
      return 'Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.';
    },
  }),
];

/** Diagnostics for the `server-stateless` scenario (2026-07-28 stateless lifecycle). */
export const statelessDiagnostics = [
  defineTool({
    name: 'test_missing_capability',
    description: 'Needs the client sampling capability; without it the engine answers -32021',
    handler: async (_args, ctx) => {
      const r = await ctx.input.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }, 'hi');
      return `Sampled: ${JSON.stringify(r.content)}`;
    },
  }),
  defineTool({
    name: 'test_streaming_elicitation',
    description: 'Asks the user a question (never as a request on the response stream)',
    handler: async (_args, ctx) => {
      const r = await ctx.input.elicit({ message: 'Continue?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } }, 'continue');
      return `Elicitation ${String(r.action)}`;
    },
  }),
  defineTool({
    name: 'test_logging_tool',
    description: 'Logs at info level; silent unless the request asks for a log level',
    handler: (_args, ctx) => {
      ctx.sendLog('info', 'Logging tool called');
      return 'Logged (if a log level was requested)';
    },
  }),
];

/** Tools that make a list change by registering and removing an entry (list_changed fires). */
export function listChangeTriggers(registry: Registry) {
  return [
    defineTool({
      name: 'test_trigger_tool_change',
      description: 'Adds and removes a temporary tool so tools/list_changed is sent',
      handler: () => {
        registry.tool(defineTool({ name: 'test_temporary_tool', description: 'Temporary', handler: () => 'temporary' }));
        registry.remove('tool', 'test_temporary_tool');
        return 'Tool list changed';
      },
    }),
    defineTool({
      name: 'test_trigger_prompt_change',
      description: 'Adds and removes a temporary prompt so prompts/list_changed is sent',
      handler: () => {
        registry.prompt(definePrompt({ name: 'test_temporary_prompt', description: 'Temporary', handler: () => 'temporary' }));
        registry.remove('prompt', 'test_temporary_prompt');
        return 'Prompt list changed';
      },
    }),
  ];
}
