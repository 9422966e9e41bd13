/** Example tool: who the server thinks is calling, from the verified principal. */
import { z } from 'zod';
import { defineTool } from '../index.js';

/** Request headers this tool may echo back; anything else stays private. */
const READABLE_HEADERS = ['user-agent', 'x-request-id', 'mcp-protocol-version'] as const;

export default defineTool({
  name: 'whoami',
  title: 'Who am I',
  description: "The caller's subject, OAuth client id and granted scopes, plus a few request headers.",
  annotations: { readOnlyHint: true },
  input: z.object({}),
  output: z.object({
    subject: z.string(),
    clientId: z.string().optional(),
    scopes: z.array(z.string()),
    headers: z.record(z.string(), z.string()),
  }),
  handler: (_input, ctx) => {
    const headers: Record<string, string> = {};
    for (const h of READABLE_HEADERS) if (ctx.headers[h] !== undefined) headers[h] = ctx.headers[h];
    const { subject, clientId, scopes } = ctx.principal;
    return { subject, ...(clientId ? { clientId } : {}), scopes: [...scopes], headers };
  },
});
