import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkParamHeaders } from '../../src/http/headers.js';
import { weatherFor } from '../../src/tools/get-weather.js';
import { callTool, examples, text, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('get_weather', () => {
  it('is listed with its input and output schemas and read-only hints', async () => {
    const r = await ex.call('tools/list');
    const tool = (r.result!.tools as { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown>; annotations?: Record<string, unknown> }[])
      .find((t) => t.name === 'get_weather')!;
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['location'], properties: { location: { type: 'string', minLength: 1, maxLength: 100 }, units: { enum: ['celsius', 'fahrenheit'], default: 'celsius' } } });
    expect(tool.outputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['location', 'temperature', 'units', 'condition', 'humidity']) });
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
  });

  it('mirrors region into the Mcp-Param-Region header (x-mcp-header) and echoes it', async () => {
    const r = await ex.call('tools/list');
    const tool = (r.result!.tools as { name: string; inputSchema: { properties: Record<string, Record<string, unknown>>; required: string[] } }[]).find((t) => t.name === 'get_weather')!;
    expect(tool.inputSchema.properties.region).toMatchObject({ type: 'string', 'x-mcp-header': 'Region' });
    expect(tool.inputSchema.required).not.toContain('region');
    const mapped = ex.server.registry.get('tool', 'get_weather')!.paramHeaders;
    expect(checkParamHeaders({ 'mcp-param-region': 'eu-west1' }, mapped, { location: 'Berlin', region: 'eu-west1' })).toBeUndefined();
    expect(checkParamHeaders({ 'mcp-param-region': 'us-east1' }, mapped, { location: 'Berlin', region: 'eu-west1' })?.rpcCode).toBe(-32020);
    expect(checkParamHeaders({}, mapped, { location: 'Berlin', region: 'eu-west1' })?.rpcCode).toBe(-32020);
    expect(checkParamHeaders({}, mapped, { location: 'Berlin' })).toBeUndefined();
    const withRegion = await callTool(ex, 'get_weather', { location: 'Berlin', region: 'eu-west1' });
    expect(withRegion.structuredContent).toEqual({ location: 'Berlin', temperature: 16, units: 'celsius', condition: 'sunny', humidity: 29, region: 'eu-west1' });
    const badRegion = await callTool(ex, 'get_weather', { location: 'Berlin', region: 'Mars' });
    expect(badRegion.isError).toBe(true);
    expect(text(badRegion)).toMatch(/region/);
  });

  it('returns fixed readings per location (pinned values), in celsius by default', async () => {
    const r = await callTool(ex, 'get_weather', { location: 'Berlin' });
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toEqual({ location: 'Berlin', temperature: 16, units: 'celsius', condition: 'sunny', humidity: 29 });
    // The text block mirrors the structured content for clients that do not read it.
    expect(JSON.parse(text(r))).toEqual(r.structuredContent);
    const ny = await callTool(ex, 'get_weather', { location: 'New York' });
    expect(ny.structuredContent).toMatchObject({ temperature: -1, condition: 'light rain', humidity: 59 });
  });

  it('is deterministic: same reading on every call, whatever the case and surrounding spaces', async () => {
    const a = await callTool(ex, 'get_weather', { location: 'Tokyo' });
    const b = await callTool(ex, 'get_weather', { location: 'Tokyo' });
    const c = await callTool(ex, 'get_weather', { location: '  tOKYO ' });
    expect(b.structuredContent).toEqual(a.structuredContent);
    const { location: _l, ...reading } = a.structuredContent!;
    const { location: trimmed, ...readingC } = c.structuredContent!;
    expect(readingC).toEqual(reading);
    expect(trimmed).toBe('tOKYO');
    expect(weatherFor('Tokyo')).toEqual({ celsius: 30, condition: 'sunny', humidity: 89 });
  });

  it('converts to fahrenheit, rounded to a whole degree', async () => {
    const cases: [string, number][] = [['Berlin', 61], ['Tokyo', 86], ['New York', 30], ['x', 14]];
    for (const [location, f] of cases) {
      const r = await callTool(ex, 'get_weather', { location, units: 'fahrenheit' });
      expect(r.structuredContent).toMatchObject({ location, units: 'fahrenheit', temperature: f });
    }
  });

  it.each([
    ['a missing location', {}, /location/],
    ['an empty location', { location: '' }, /location/],
    ['a blank location', { location: '   ' }, /location/],
    ['a location over 100 characters', { location: 'x'.repeat(101) }, /location/],
    ['a non-string location', { location: 42 }, /location/],
    ['an unknown unit', { location: 'Berlin', units: 'kelvin' }, /units/],
  ])('answers %s with an isError result naming the field', async (_what, args, field) => {
    const r = await callTool(ex, 'get_weather', args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Invalid arguments for tool get_weather: /);
    expect(text(r)).toMatch(field);
    expect(r.structuredContent).toBeUndefined();
  });

  it('never echoes the rejected value back', async () => {
    const r = await callTool(ex, 'get_weather', { location: 'Berlin', units: '<script>alert(1)</script>' });
    expect(r.isError).toBe(true);
    expect(text(r)).not.toContain('<script>');
  });
});
