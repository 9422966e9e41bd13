import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { compileTool } from '../../src/mcp/compile.js';
import { defineTool } from '../../src/mcp/define.js';
import { compileParamHeaders } from '../../src/mcp/param-headers.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('compileParamHeaders (x-mcp-header)', () => {
  it('maps annotated properties, nested ones through properties only', () => {
    const headers = compileParamHeaders('t', obj({
      region: { type: 'string', 'x-mcp-header': 'Region' },
      n: { type: ['integer', 'null'], 'x-mcp-header': 'N' },
      opts: obj({ debug: { type: 'boolean', 'x-mcp-header': 'Debug' } }),
      plain: { type: 'number' },
    }));
    expect(headers).toEqual([
      { name: 'Region', header: 'mcp-param-region', path: ['region'], type: 'string' },
      { name: 'N', header: 'mcp-param-n', path: ['n'], type: 'integer' },
      { name: 'Debug', header: 'mcp-param-debug', path: ['opts', 'debug'], type: 'boolean' },
    ]);
  });

  it('treats a property named x-mcp-header as a property, not an annotation', () => {
    expect(compileParamHeaders('t', obj({ 'x-mcp-header': { type: 'object' } }))).toEqual([]);
  });

  it.each([
    ['an empty name', obj({ a: { type: 'string', 'x-mcp-header': '' } }), /non-empty HTTP token/],
    ['a space', obj({ a: { type: 'string', 'x-mcp-header': 'My Region' } }), /HTTP token/],
    ['a colon', obj({ a: { type: 'string', 'x-mcp-header': 'A:B' } }), /HTTP token/],
    ['non-ASCII', obj({ a: { type: 'string', 'x-mcp-header': 'Région' } }), /HTTP token/],
    ['a number type', obj({ a: { type: 'number', 'x-mcp-header': 'A' } }), /not number/],
    ['an object type', obj({ a: { type: 'object', 'x-mcp-header': 'A' } }), /string, integer or boolean/],
    ['a case-insensitive duplicate', obj({ a: { type: 'string', 'x-mcp-header': 'MyField' }, b: { type: 'string', 'x-mcp-header': 'myfield' } }), /used twice/],
    ['items', obj({ a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }), /through "properties" only/],
    ['$defs', { type: 'object', $defs: { a: { type: 'string', 'x-mcp-header': 'A' } } }, /through "properties" only/],
    ['anyOf', { type: 'object', anyOf: [obj({ a: { type: 'string', 'x-mcp-header': 'A' } })] }, /through "properties" only/],
    ['the root', { type: 'object', 'x-mcp-header': 'A' }, /through "properties" only/],
  ])('refuses %s, naming the tool and the place', (_why, schema, message) => {
    expect(() => compileParamHeaders('sql', schema)).toThrow(/^Tool "sql": x-mcp-header at /);
    expect(() => compileParamHeaders('sql', schema)).toThrow(message);
  });

  it('is compiled with the tool, from zod .meta() or JSON Schema, and listed as declared', () => {
    const fromZod = compileTool(defineTool({ name: 'z', description: 'd', input: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }) }), handler: () => 'ok' }));
    expect(fromZod.paramHeaders.map((h) => h.header)).toEqual(['mcp-param-region']);
    expect(fromZod.descriptor.inputSchema).toMatchObject({ properties: { region: { 'x-mcp-header': 'Region' } } });
    const fromJson = compileTool(defineTool({ name: 'j', description: 'd', inputSchema: obj({ region: { type: 'string', 'x-mcp-header': 'Region' } }), handler: () => 'ok' }));
    expect(fromJson.paramHeaders).toHaveLength(1);
    expect(() => compileTool(defineTool({ name: 'bad', description: 'd', inputSchema: obj({ n: { type: 'number', 'x-mcp-header': 'N' } }), handler: () => 'ok' }))).toThrow(/Tool "bad"/);
  });
});
