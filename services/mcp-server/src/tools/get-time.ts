/** Example tool: the current time in an IANA time zone. */
import { z } from 'zod';
import { defineTool, ToolError } from '../index.js';

export default defineTool({
  name: 'get_time',
  title: 'Get time',
  description: 'The current date and time, in UTC or an IANA time zone such as "Europe/Berlin".',
  scopes: ['mcp:tools'],
  annotations: { readOnlyHint: true },
  input: z.object({ timezone: z.string().max(64).default('UTC').describe('IANA time zone name') }),
  output: z.object({ iso: z.string(), timezone: z.string(), local: z.string() }),
  handler: ({ timezone }) => {
    const now = new Date();
    let local: string;
    try {
      local = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'long' }).format(now);
    } catch {
      throw new ToolError(`Unknown time zone "${timezone.slice(0, 64)}": use an IANA name such as "UTC" or "America/New_York"`);
    }
    return { iso: now.toISOString(), timezone, local };
  },
});
