/**
 * Ceiling 2: bare Express 5 with express.json() answering the same JSON-RPC tools/call.
 */
import { createServer } from 'node:http';
import express from 'express';
import { announce } from '../lib/common.js';

const app = express();
app.use(express.json());
app.post('/mcp', (req, res) => {
  const msg = req.body as { id?: unknown; params?: { arguments?: { text?: unknown } } };
  res.json({ jsonrpc: '2.0', id: msg.id ?? null, result: { content: [{ type: 'text', text: String(msg.params?.arguments?.text ?? '') }] } });
});
await announce(createServer(app));
