/** Example tool: current weather from deterministic offline data (no network). */
import { hash } from 'node:crypto';
import { z } from 'zod';
import { defineTool } from '../mcp/define.js';

const CONDITIONS = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'rain', 'windy', 'snow', 'fog'] as const;

/** The same location always gives the same reading, so tests and demos are repeatable. */
export function weatherFor(location: string): { celsius: number; condition: (typeof CONDITIONS)[number]; humidity: number } {
  // One-shot crypto.hash: no Hash object per call.
  const h = hash('sha256', location.trim().toLowerCase(), 'buffer');
  return { celsius: (h[0] % 45) - 10, condition: CONDITIONS[h[1] % CONDITIONS.length], humidity: 20 + (h[2] % 80) };
}

export default defineTool({
  name: 'get_weather',
  title: 'Get weather',
  description: 'Current weather for a location (deterministic demo data, no network).',
  scopes: ['mcp:tools'],
  annotations: { readOnlyHint: true, openWorldHint: false },
  input: z.object({
    location: z.string().trim().min(1).max(100).describe('City or place name, e.g. "Berlin"'),
    units: z.enum(['celsius', 'fahrenheit']).default('celsius').describe('Temperature unit'),
    // x-mcp-header (2026-07-28 server/tools §x-mcp-header): HTTP clients mirror it into
    // `Mcp-Param-Region`, so a gateway can route on the header without parsing the body; the
    // server refuses a request whose header and argument disagree.
    region: z.string().regex(/^[a-z]{2}-[a-z]+\d$/).optional()
      .describe('Data region that serves the reading, e.g. "eu-west1"')
      .meta({ 'x-mcp-header': 'Region' }),
  }),
  output: z.object({
    location: z.string(),
    temperature: z.number(),
    units: z.enum(['celsius', 'fahrenheit']),
    condition: z.string(),
    humidity: z.number().int().min(0).max(100),
    region: z.string().optional(),
  }),
  handler: ({ location, units, region }) => {
    const w = weatherFor(location);
    const temperature = units === 'fahrenheit' ? Math.round((w.celsius * 9) / 5 + 32) : w.celsius;
    return { location, temperature, units, condition: w.condition, humidity: w.humidity, ...(region === undefined ? {} : { region }) };
  },
});
