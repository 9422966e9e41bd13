/** Example tool behind a private scope: only principals holding `mcp:private` see or call it. */
import { z } from 'zod';
import { defineTool } from '../index.js';

export default defineTool({
  name: 'get_private_notes',
  title: 'Private notes',
  description: "The caller's private notes (demo data); needs the mcp:private scope.",
  scopes: ['mcp:private'],
  annotations: { readOnlyHint: true },
  input: z.object({ limit: z.number().int().min(1).max(10).default(3) }),
  handler: ({ limit }, ctx) => {
    const notes = Array.from({ length: limit }, (_, i) => `Note ${i + 1} for ${ctx.principal.subject}`);
    return { content: notes.map((text) => ({ type: 'text' as const, text })) };
  },
});
