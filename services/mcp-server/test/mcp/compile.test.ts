import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { compileResource, compileTemplate, compileTool, toJsonSchema } from '../../src/mcp/compile.js';
import { assertSchema } from '../helpers/schema.js';

describe('toJsonSchema', () => {
  it('emits JSON Schema 2020-12 without $schema', () => {
    const json = toJsonSchema(z.object({ a: z.string(), b: z.number().int().optional(), c: z.array(z.boolean()) }), 'input');
    expect(json.$schema).toBeUndefined();
    expect(json).toMatchObject({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'array', items: { type: 'boolean' } } },
      required: ['a', 'c'],
    });
  });

  it('distinguishes input and output for defaults', () => {
    const s = z.object({ n: z.number().default(3) });
    expect(toJsonSchema(s, 'input').required ?? []).not.toContain('n');
    expect(toJsonSchema(s, 'output').required).toContain('n');
  });

  it('maps unrepresentable types to an open schema instead of throwing', () => {
    expect(() => toJsonSchema(z.object({ when: z.date() }), 'input')).not.toThrow();
  });
});

describe('compileTool', () => {
  it('builds a schema-valid Tool descriptor with an object output schema', () => {
    const t = compileTool({
      name: 'add', title: 'Add', description: 'adds', input: z.object({ a: z.number() }), output: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true }, handler: () => ({ sum: 1 }),
    } as never);
    expect(t.descriptor.outputSchema).toMatchObject({ type: 'object', properties: { sum: { type: 'number' } } });
    expect((t.descriptor.inputSchema as Record<string, unknown>).$schema).toBeUndefined();
    expect(Object.isFrozen(t.descriptor)).toBe(true);
    assertSchema('Tool', t.descriptor);
    assertSchema('Tool', t.descriptor, '2025-11-25');
  });

  it('gives a tool without input an empty object schema', () => {
    const t = compileTool({ name: 'x', description: 'x', handler: () => 'x' } as never);
    expect(t.descriptor.inputSchema).toEqual({ type: 'object', properties: {} });
    assertSchema('Tool', t.descriptor);
  });

  it.each([
    ['a string', z.string()],
    ['an array', z.array(z.number())],
    ['a number', z.number()],
  ])('rejects %s as output schema', (_label, schema) => {
    expect(() => compileTool({ name: 'x', description: 'x', output: schema, handler: () => 'x' } as never)).toThrow(/output must be an object schema/);
  });
});

describe('compileResource / compileTemplate', () => {
  it('leaves read, scopes and handlers out of the descriptors', () => {
    const r = compileResource({ uri: 'file:///a', name: 'a', scopes: ['s'], read: () => '' });
    expect(r.descriptor).toEqual({ uri: 'file:///a', name: 'a' });
    assertSchema('Resource', r.descriptor);
    const t = compileTemplate({ uriTemplate: 'file:///{path}', name: 'f', complete: {}, list: () => [], read: () => '' });
    expect(t.descriptor).toEqual({ uriTemplate: 'file:///{path}', name: 'f' });
    assertSchema('ResourceTemplate', t.descriptor);
  });

  it('rejects a malformed template', () => {
    expect(() => compileTemplate({ uriTemplate: 'x://{open', name: 'f', read: () => '' })).toThrow(/Malformed URI template/);
  });
});
