/**
 * Serving the metrics: a handler for a path on some server, and a listener of its own
 * (MCP_METRICS=port, bound to 127.0.0.1 by default) so the scrape endpoint is not on the
 * public listener. Neither goes through the MCP pipeline: no bearer auth, no rate limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** Answer a scrape with the registry's text exposition; anything but GET/HEAD is 405. */
export function createMetricsHandler(register: Registry): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    register.metrics().then((text) => {
      res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    }, () => { res.writeHead(500).end(); });
  };
}

/** Listen on host:port serving only `path`; resolves once listening. */
export async function startMetricsServer(register: Registry, host: string, port: number, path: string): Promise<Server> {
  const handler = createMetricsHandler(register);
  const server = createServer((req, res) => {
    const q = req.url?.indexOf('?') ?? -1;
    const p = q < 0 ? req.url : req.url!.slice(0, q);
    if (p === path) handler(req, res);
    else res.writeHead(404).end();
  });
  server.listen(port, host);
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  return server;
}
