/**
 * The official TypeScript SDK v2, served the way its Express guide recommends
 * (docs/serving/express.md): createMcpHandler(factory) with a fresh McpServer per request,
 * adapted once with toNodeHandler, mounted on createMcpExpressApp (express.json() plus Host
 * and Origin validation), body passed through as req.body. Unauthenticated.
 */
import { createServer } from 'node:http';
import { createMcpExpressApp } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { announce, TOOL } from '../lib/common.js';

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'sdk-v2-bench', version: '0.0.0' });
  server.registerTool(TOOL, { description: 'Echoes the text back', inputSchema: z.object({ text: z.string().describe('Text to echo') }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
});
const app = createMcpExpressApp();
const node = toNodeHandler(handler);
app.all('/mcp', (req, res) => void node(req, res, req.body));
await announce(createServer(app), '/mcp', () => handler.close());
