/**
 * Example admin tool: resets the call statistics; needs the mcp:admin scope. Listed to every
 * principal (`listing: 'always'`) so a client such as MCP Inspector can show it and, on the
 * 403 insufficient_scope answer, start the step-up to mcp:admin: the README's demo.
 */
import { z } from 'zod';
import { defineTool } from '../index.js';

export default defineTool({
  name: 'admin_reset_stats',
  title: 'Reset call statistics',
  description: 'Clears the statistics get_called_tools reports. Administrators only (mcp:admin).',
  scopes: ['mcp:admin'],
  listing: 'always',
  annotations: { destructiveHint: true, idempotentHint: true },
  input: z.object({ confirm: z.literal(true).describe('Must be true') }),
  output: z.object({ cleared: z.number().int(), by: z.string() }),
  handler: (_input, ctx) => {
    const cleared = ctx.state.calledTools.reset();
    ctx.log.info('call statistics reset', { by: ctx.principal.subject });
    return { cleared, by: ctx.principal.subject };
  },
});
