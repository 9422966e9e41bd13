/**
 * Tools and a prompt that ask the client for input through `ctx.input` — one API for both
 * wires: MRTR `input_required` results on 2026-07-28 (SEP-2322, docs/conformance-fixtures.md
 * §2 input-required-result-*), server-to-client requests on 2025-11-25 (§3).
 */
import { z } from 'zod';
import { definePrompt, defineTool } from '../../services/mcp-server/src/mcp/define.js';
import type { JsonObject } from '../../services/mcp-server/src/mcp/protocol.js';

const textOf = (r: JsonObject): string => String((r.content as { text?: unknown } | undefined)?.text ?? '');
const field = (r: JsonObject, name: string): string => String((r.content as Record<string, unknown> | undefined)?.[name] ?? '');
const ask = (message: string, properties: JsonObject, required = Object.keys(properties)) => ({
  message, requestedSchema: { type: 'object', properties, required },
});
const sampling = (prompt: string, maxTokens: number) => ({
  messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens,
});

/** 2026-07-28 MRTR tools (input-required-result-*). */
export const mrtrTools = [
  defineTool({
    name: 'test_input_required_result_elicitation',
    description: 'Asks for the user name, then greets',
    handler: async (_args, ctx) => {
      const r = await ctx.input.elicit(ask('What is your name?', { name: { type: 'string' } }), 'user_name');
      return r.action === 'accept' ? `Hello, ${field(r, 'name')}!` : `Elicitation ${String(r.action)}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_sampling',
    description: 'Asks the client model a question',
    handler: async (_args, ctx) => {
      const r = await ctx.input.sample(sampling('What is the capital of France?', 100), 'capital_question');
      return `Model said: ${textOf(r)}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_list_roots',
    description: 'Lists the client roots',
    handler: async (_args, ctx) => {
      const r = await ctx.input.roots('client_roots');
      return `Roots: ${JSON.stringify(r.roots ?? [])}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_request_state',
    description: 'Asks for a confirmation carried across rounds in requestState',
    handler: async (_args, ctx) => {
      const r = await ctx.input.elicit(ask('Please confirm', { ok: { type: 'boolean' } }), 'confirm');
      return `Confirmed: ${field(r, 'ok')}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks for a name, a model greeting and the roots at once',
    handler: async (_args, ctx) => {
      const r = await ctx.input.all({
        user_name: { method: 'elicitation/create', params: ask('What is your name?', { name: { type: 'string' } }) },
        greeting: { method: 'sampling/createMessage', params: sampling('Generate a greeting', 50) },
        client_roots: { method: 'roots/list' },
      });
      return `Name ${field(r.user_name, 'name')}, greeting ${textOf(r.greeting)}, ${(r.client_roots.roots as unknown[] | undefined)?.length ?? 0} root(s)`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_multi_round',
    description: 'Asks two questions in two rounds',
    handler: async (_args, ctx) => {
      const name = await ctx.input.elicit(ask('Step 1: What is your name?', { name: { type: 'string' } }), 'step1');
      const color = await ctx.input.elicit(ask('Step 2: What is your favorite color?', { color: { type: 'string' } }), 'step2');
      return `${field(name, 'name')} likes ${field(color, 'color')}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_tampered_state',
    description: 'Asks for a confirmation; a modified requestState is rejected',
    handler: async (_args, ctx) => {
      const r = await ctx.input.elicit(ask('Please confirm', { ok: { type: 'boolean' } }), 'confirm');
      return `Confirmed: ${field(r, 'ok')}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_capabilities',
    description: 'Asks the user when it may, else the model (never what the client did not declare)',
    handler: async (_args, ctx) => {
      if (ctx.input.supports('elicitation')) {
        const r = await ctx.input.elicit(ask('What is your name?', { name: { type: 'string' } }), 'user_name');
        return `Hello, ${field(r, 'name')}!`;
      }
      const r = await ctx.input.sample(sampling('Suggest a name', 50), 'suggested_name');
      return `Suggested: ${textOf(r)}`;
    },
  }),
];

/** MRTR on a non-tool request. */
export const mrtrPrompt = definePrompt({
  name: 'test_input_required_result_prompt',
  description: 'Asks for context before building the prompt',
  handler: async (_args, ctx) => {
    const r = await ctx.input.elicit(ask('What context should the prompt use?', { context: { type: 'string' } }), 'user_context');
    return `Prompt with context: ${field(r, 'context')}`;
  },
});

/** 2025-11-25 sampling and elicitation tools (server-to-client requests). */
export const legacyInputTools = [
  defineTool({
    name: 'test_sampling',
    description: 'Asks the client model to answer a prompt',
    input: z.object({ prompt: z.string() }),
    handler: async ({ prompt }, ctx) => `LLM response: ${textOf(await ctx.input.sample(sampling(prompt, 100)))}`,
  }),
  defineTool({
    name: 'test_elicitation',
    description: 'Asks the user for a name and email',
    input: z.object({ message: z.string() }),
    handler: async ({ message }, ctx) => {
      const r = await ctx.input.elicit(ask(message, {
        username: { type: 'string', description: "User's response" },
        email: { type: 'string', description: "User's email address" },
      }));
      return `User response: action=${String(r.action)}, content=${JSON.stringify(r.content ?? {})}`;
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation with default values (SEP-1034)',
    handler: async (_args, ctx) => {
      const r = await ctx.input.elicit(ask('Please review your profile', {
        name: { type: 'string', default: 'John Doe' },
        age: { type: 'integer', default: 30 },
        score: { type: 'number', default: 95.5 },
        status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', default: true },
      }, []));
      return `Elicitation completed: action=${String(r.action)}, content=${JSON.stringify(r.content ?? {})}`;
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with every enum form (SEP-1330)',
    handler: async (_args, ctx) => {
      const titled = (prefix: string, titles: string[]) => titles.map((title, i) => ({ const: `value${i + 1}`, title: `${title} ${prefix}` }));
      const r = await ctx.input.elicit(ask('Pick some options', {
        untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        titledSingle: { type: 'string', oneOf: titled('Option', ['First', 'Second', 'Third']) },
        legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: { type: 'array', items: { anyOf: titled('Choice', ['First', 'Second', 'Third']) } },
      }, []));
      return `Elicitation completed: action=${String(r.action)}, content=${JSON.stringify(r.content ?? {})}`;
    },
  }),
];
