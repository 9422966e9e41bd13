/**
 * The official TypeScript SDK v1 (@modelcontextprotocol/sdk), stateless as its example
 * simpleStatelessStreamableHttp.ts does it: createMcpExpressApp, and per POST a fresh
 * McpServer connected to a new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }),
 * closed when the response closes. Unauthenticated; answers 2025-era requests.
 */
import { createServer } from 'node:http';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod/v4';
import { announce, TOOL } from '../lib/common.js';

const getServer = () => {
  const server = new McpServer({ name: 'sdk-v1-bench', version: '0.0.0' });
  server.registerTool(TOOL, { description: 'Echoes the text back', inputSchema: { text: z.string().describe('Text to echo') } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
};

const app = createMcpExpressApp();
app.post('/mcp', async (req, res) => {
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    res.on('close', () => { void transport.close(); void server.close(); });
  } catch {
    if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
  }
});
await announce(createServer(app));
