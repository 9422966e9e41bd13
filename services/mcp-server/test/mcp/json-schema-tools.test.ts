import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { compileTool } from '../../src/mcp/compile.js';
import { defineTool } from '../../src/mcp/define.js';
import { createEngine } from '../../src/mcp/engine.js';
import { Registry } from '../../src/mcp/registry.js';
import { call, firstText, modernRequest } from '../helpers/exchange.js';
import { assertModernResponse } from '../helpers/schema.js';

const CONTACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  properties: { name: { type: 'string', maxLength: 20 }, address: { $ref: '#/$defs/address' }, phone: { type: 'string' } },
  required: ['name'],
  additionalProperties: false,
} as const;

const noop = () => 'ok';

describe('JSON Schema 2020-12 tools: registration', () => {
  it('lists the schema verbatim, $schema, $defs and $ref included, and freezes a copy', () => {
    const source = structuredClone(CONTACT) as Record<string, unknown>;
    const tool = compileTool(defineTool({ name: 'contact', description: 'd', inputSchema: source, handler: noop }));
    expect(tool.descriptor.inputSchema).toEqual(CONTACT);
    expect(tool.descriptor.inputSchema).not.toBe(source);
    expect(Object.isFrozen(tool.descriptor.inputSchema)).toBe(true);
  });

  it.each([
    ['is not an object schema', { type: 'string' }, /inputSchema must have "type": "object"/],
    ['has an invalid keyword value', { type: 'object', properties: { a: { type: 'strin' } } }, /inputSchema is not a valid JSON Schema 2020-12/],
    ['has an unresolvable $ref', { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }, /not a valid JSON Schema 2020-12/],
    ['points $ref at the network', { type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }, /not a valid JSON Schema 2020-12/],
    ['uses another dialect', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, /must use JSON Schema 2020-12/],
  ])('refuses a schema that %s, naming the tool', (_why, schema, message) => {
    expect(() => compileTool(defineTool({ name: 'bad_tool', description: 'd', inputSchema: schema, handler: noop }))).toThrow(/Tool "bad_tool"/);
    expect(() => compileTool(defineTool({ name: 'bad_tool', description: 'd', inputSchema: schema, handler: noop }))).toThrow(message);
  });

  it('refuses zod and JSON Schema for the same side, and checks outputSchema too', () => {
    expect(() => compileTool(defineTool({ name: 't', description: 'd', input: z.object({}), inputSchema: { type: 'object' }, handler: noop }))).toThrow(/input \(zod\) or inputSchema/);
    expect(() => compileTool(defineTool({ name: 't', description: 'd', outputSchema: { type: 'array' }, handler: noop }))).toThrow(/outputSchema must have "type": "object"/);
  });
});

describe('JSON Schema 2020-12 tools: calls', () => {
  const registry = new Registry()
    .tool(defineTool({ name: 'contact', description: 'd', inputSchema: CONTACT, handler: (args) => `Hello ${String(args.name)}` }))
    .tool(defineTool({
      name: 'measure',
      description: 'd',
      inputSchema: { type: 'object', properties: { good: { type: 'boolean' } } },
      outputSchema: { type: 'object', properties: { size: { type: 'integer' } }, required: ['size'] },
      handler: (args) => (args.good ? { size: 3 } : { size: 'SECRET-big' }),
    }));
  const engine = createEngine({ registry, serverInfo: { name: 's', version: '1' } });
  const run = async (name: string, args: Record<string, unknown>) => {
    const r = await call(engine, modernRequest('tools/call', { name, arguments: args }));
    assertModernResponse('tools/call', r.body);
    return r.body.result!;
  };

  it('passes valid arguments to the handler', async () => {
    expect(await run('contact', { name: 'Ada', address: { city: 'Paris' } })).toMatchObject({ content: [{ type: 'text', text: 'Hello Ada' }] });
  });

  it('answers invalid arguments with isError naming the field, never the value', async () => {
    const secret = `SECRET-${'x'.repeat(30)}`;
    for (const [args, field] of [
      [{ name: secret }, /name: must NOT have more than 20 characters/],
      [{ name: 'Ada', address: {} }, /address\.city: must have required property 'city'/],
      [{}, /\bname: must have required property/],
      [{ name: 'Ada', [secret.slice(0, 10)]: 1 }, /must NOT have additional properties/],
    ] as const) {
      const result = await run('contact', args);
      expect(result.isError).toBe(true);
      expect(firstText(result)).toMatch(/^Invalid arguments for tool contact: /);
      expect(firstText(result)).toMatch(field);
      expect(firstText(result)).not.toContain('xxxxxxxx');
    }
  });

  it('validates structured output against outputSchema', async () => {
    expect(await run('measure', { good: true })).toMatchObject({ structuredContent: { size: 3 } });
    const bad = await run('measure', { good: false });
    expect(bad).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Tool measure produced output that does not match its declared schema' }] });
    expect(JSON.stringify(bad)).not.toContain('SECRET');
  });
});
