/** Example tool: current weather from deterministic offline data (no network). */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTool } from '../mcp/define.js';

const CONDITIONS = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'rain', 'windy', 'snow', 'fog'] as const;

/** The same location always gives the same reading, so tests and demos are repeatable. */
export function weatherFor(location: string): { celsius: number; condition: (typeof CONDITIONS)[number]; humidity: number } {
  const h = createHash('sha256').update(location.trim().toLowerCase()).digest();
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
  }),
  output: z.object({
    location: z.string(),
    temperature: z.number(),
    units: z.enum(['celsius', 'fahrenheit']),
    condition: z.string(),
    humidity: z.number().int().min(0).max(100),
  }),
  handler: ({ location, units }) => {
    const w = weatherFor(location);
    const temperature = units === 'fahrenheit' ? Math.round((w.celsius * 9) / 5 + 32) : w.celsius;
    return { location, temperature, units, condition: w.condition, humidity: w.humidity };
  },
});
