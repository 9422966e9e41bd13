/**
 * Slow and greedy clients: before, no headersTimeout/requestTimeout/keepAliveTimeout or
 * connection cap was set, so a 1 MiB body sent at 1 byte/s held its socket for Node's 300 s.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHttpServer } from '../../src/http/http-server.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let server: Server | undefined;
let h: Harness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (server) { server.closeAllConnections(); await new Promise<void>((r) => server!.close(() => r())); server = undefined; }
  await h?.close(); h = undefined;
});

/** Open a raw socket; resolves with what the server sent and when it closed (ms after `t0`). */
function raw(port: number): { socket: Socket; closed: Promise<{ afterMs: number; received: string }> } {
  const t0 = Date.now();
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8').on('data', (d: string) => { received += d; });
  socket.on('error', () => {});
  const closed = new Promise<{ afterMs: number; received: string }>((r) => socket.on('close', () => r({ afterMs: Date.now() - t0, received })));
  return { socket, closed };
}

function trickle(socket: Socket, everyMs: number): NodeJS.Timeout {
  const t = setInterval(() => { if (!socket.destroyed) socket.write('x'); }, everyMs);
  socket.once('close', () => clearInterval(t));
  return t;
}

async function listen(limits: Partial<Parameters<typeof createHttpServer>[1]> = {}): Promise<number> {
  server = createHttpServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); }, {
    headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnections: 100, ...limits,
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('HTTP server limits', () => {
  it('cuts a body trickled at a few bytes a second once the request timeout passes (408)', async () => {
    const port = await listen({ requestTimeoutMs: 800, headersTimeoutMs: 800 });
    const c = raw(port);
    c.socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n');
    trickle(c.socket, 100);
    const { afterMs, received } = await c.closed;
    expect(afterMs).toBeLessThan(2500);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts headers trickled in slowly once the headers timeout passes', async () => {
    const port = await listen({ headersTimeoutMs: 600, requestTimeoutMs: 5000 });
    const c = raw(port);
    c.socket.write('GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    trickle(c.socket, 100);
    const { afterMs } = await c.closed;
    expect(afterMs).toBeLessThan(2000);
  });

  it('a slow but steady honest client within the limit is served', async () => {
    const port = await listen({ requestTimeoutMs: 3000, headersTimeoutMs: 3000 });
    const c = raw(port);
    c.socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 100)); c.socket.write('x'); }
    const { received } = await c.closed;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes connections past the cap at once and keeps the others', async () => {
    const port = await listen({ maxConnections: 2 });
    const a = raw(port); const b = raw(port);
    await new Promise((r) => setTimeout(r, 100));
    const c = raw(port);
    const { afterMs } = await c.closed;
    expect(afterMs).toBeLessThan(1000);
    expect(a.socket.destroyed || b.socket.destroyed).toBe(false);
  });

  it('closes idle keep-alive connections after the keep-alive timeout', async () => {
    const port = await listen({ keepAliveTimeoutMs: 300 });
    const c = raw(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const { afterMs, received } = await c.closed;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(afterMs).toBeLessThan(1500);
  });

  it('rejects non-positive limits', () => {
    expect(() => createHttpServer(() => {}, { headersTimeoutMs: 0, requestTimeoutMs: 1, keepAliveTimeoutMs: 1, maxConnections: 1 })).toThrow(/headersTimeoutMs/);
  });
});

describe('configured through the environment', () => {
  it('MCP_REQUEST_TIMEOUT_MS reaches the server startHttp creates', async () => {
    h = await startOAuthServer({ env: { MCP_REQUEST_TIMEOUT_MS: '800', MCP_HEADERS_TIMEOUT_MS: '800' } });
    expect(h.http.server.requestTimeout).toBe(800);
    expect(h.http.server.maxConnections).toBe(1024);
    const c = raw(Number(new URL(h.origin).port));
    c.socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n');
    trickle(c.socket, 100);
    const { afterMs } = await c.closed;
    expect(afterMs).toBeLessThan(2500);
  });
});
