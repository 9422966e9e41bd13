import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { examples, principal, type Examples } from '../tools/support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

const read = async (uri: string) => {
  const r = await ex.call('resources/read', { uri });
  expect(r.error).toBeUndefined();
  return r.result!.contents as { uri: string; mimeType: string; text: string }[];
};
const complete = (value: string, extra: Record<string, unknown> = {}) =>
  ex.call('completion/complete', { ref: { type: 'ref/resource', uri: 'weather://{location}' }, argument: { name: 'location', value }, ...extra });

describe('weather://{location}', () => {
  it('is listed as a template, not as a resource', async () => {
    const t = await ex.call('resources/templates/list');
    expect(t.result!.resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'weather://{location}', name: 'weather-report', title: 'Weather report', mimeType: 'text/plain' })]);
    const r = await ex.call('resources/list');
    expect((r.result!.resources as { uri: string }[]).map((x) => x.uri)).toEqual(['info://server']);
  });

  it('reads a plain-text report that matches get_weather for the same place', async () => {
    const [c] = await read('weather://Berlin');
    expect(c).toEqual({ uri: 'weather://Berlin', mimeType: 'text/plain', text: 'Berlin: 16 °C, sunny, humidity 29 %' });
    const tool = await ex.call('tools/call', { name: 'get_weather', arguments: { location: 'Berlin' } });
    expect(tool.result!.structuredContent).toMatchObject({ temperature: 16, condition: 'sunny', humidity: 29 });
  });

  it('percent-decodes the location and keeps the URI as asked', async () => {
    const [c] = await read('weather://New%20York');
    expect(c.uri).toBe('weather://New%20York');
    expect(c.text).toBe('New York: -1 °C, light rain, humidity 59 %');
  });

  it('does not match URIs outside the template', async () => {
    for (const uri of ['weather://a/b', 'weather://Berlin?x=1', 'climate://Berlin']) {
      const r = await ex.call('resources/read', { uri });
      expect(r.error?.code).toBe(-32602);
    }
  });

  it('answers "not found" for an empty or blank location instead of inventing a report', async () => {
    for (const uri of ['weather://', 'weather://%20%20']) {
      const r = await ex.call('resources/read', { uri });
      expect(r.error).toMatchObject({ code: -32602, data: { uri } });
    }
  });

  it('needs mcp:resources', async () => {
    const r = await ex.call('resources/read', { uri: 'weather://Paris' }, { principal: principal(['mcp:tools']) });
    expect(r.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:resources'] } });
    const c = await ex.call('completion/complete', { ref: { type: 'ref/resource', uri: 'weather://{location}' }, argument: { name: 'location', value: 'P' } }, { principal: principal(['mcp:tools']) });
    expect(c.error?.code).toBe(-32010);
  });

  it('completes the location by case-insensitive prefix', async () => {
    expect((await complete('')).result!.completion).toEqual({ values: ['Amsterdam', 'Berlin', 'London', 'New York', 'Paris', 'Tokyo'], total: 6, hasMore: false });
    expect((await complete('new')).result!.completion).toEqual({ values: ['New York'], total: 1, hasMore: false });
    expect((await complete('b', { context: { arguments: {} } })).result!.completion).toMatchObject({ values: ['Berlin'] });
    expect((await complete('Zürich')).result!.completion).toMatchObject({ values: [] });
  });

  it('rejects completion for a template it does not have', async () => {
    const r = await ex.call('completion/complete', { ref: { type: 'ref/resource', uri: 'weather://{city}' }, argument: { name: 'city', value: '' } });
    expect(r.error?.code).toBe(-32602);
  });
});
