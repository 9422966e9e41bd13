/** Example tool: the tools called so far, from state shared by every request. */
import { z } from 'zod';
import { defineTool } from '../index.js';

export default defineTool({
  name: 'get_called_tools',
  title: 'Called tools',
  description: 'How many times each tool has been called since the server started, and the latest calls.',
  scopes: ['mcp:tools'],
  annotations: { readOnlyHint: true },
  input: z.object({}),
  output: z.object({
    counts: z.array(z.object({ name: z.string(), calls: z.number().int() })),
    recent: z.array(z.object({ name: z.string(), subject: z.string(), at: z.string(), outcome: z.string() })),
  }),
  handler: (_input, ctx) => ctx.state.calledTools.snapshot(),
});
