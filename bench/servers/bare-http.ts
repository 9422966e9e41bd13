/**
 * Ceiling 1: bare node:http answering the same JSON-RPC tools/call with the echo result —
 * read the body, JSON.parse, JSON.stringify a result. Nothing else: no auth, no validation.
 */
import { createServer } from 'node:http';
import { announce } from '../lib/common.js';

const server = createServer((req, res) => {
  if (req.method !== 'POST') { res.writeHead(405).end(); return; }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let msg: { id?: unknown; params?: { arguments?: { text?: unknown } } };
    try { msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof msg; } catch { res.writeHead(400).end(); return; }
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id ?? null, result: { content: [{ type: 'text', text: String(msg.params?.arguments?.text ?? '') }] } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
await announce(server);
