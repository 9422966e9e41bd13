/** HeadResponse: pending headers behave as set headers, and go out once, as a flat list. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addHeader, addHeaders, HeadResponse, releaseResponse } from '../../src/http/response-headers.js';

let server: Server | undefined;
const stop = () => { server?.closeAllConnections(); server?.close(); server = undefined; };
afterEach(stop);

/** Serve one request with `handle` on a HeadResponse server; the raw header pairs as received. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ status: number; raw: string[][] }> {
  stop();
  server = createServer({ ServerResponse: HeadResponse }, handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await r.text();
  const raw = [...r.headers].filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k));
  return { status: r.status, raw };
}

const SECURITY = Object.freeze(['x-frame-options', 'DENY', 'cache-control', 'no-store']);

describe('HeadResponse', () => {
  it('sends added headers without touching Node\'s header map', async () => {
    let seen: string[] = ['not called'];
    const r = await serve((_req, res) => {
      addHeaders(res, SECURITY);
      addHeader(res, 'X-Request-Id', 'r1');
      res.statusCode = 201;
      // Node's map is empty until something reads it: the pending list is the only copy.
      seen = Object.getOwnPropertySymbols(res).map((s) => s.toString());
      res.end('{}');
    });
    expect(r.status).toBe(201);
    expect(Object.fromEntries(r.raw)).toEqual({ 'x-frame-options': 'DENY', 'cache-control': 'no-store', 'x-request-id': 'r1' });
    expect(seen).toContain('Symbol(pending headers)');
    expect(SECURITY).toEqual(['x-frame-options', 'DENY', 'cache-control', 'no-store']); // the shared constant is never modified
  });

  it('a later add, setHeader or writeHead header replaces a pending one of the same name', async () => {
    const r = await serve((_req, res) => {
      addHeaders(res, SECURITY);
      addHeader(res, 'cache-control', 'private');
      res.writeHead(200, { 'X-Frame-Options': 'SAMEORIGIN', 'content-type': 'text/plain' }).end('x');
    });
    expect(r.raw).toEqual([['cache-control', 'private'], ['content-type', 'text/plain'], ['x-frame-options', 'SAMEORIGIN']]);
    const s = await serve((_req, res) => {
      addHeaders(res, SECURITY);
      res.setHeader('Cache-Control', 'no-cache');
      res.end();
    });
    expect(Object.fromEntries(s.raw)).toEqual({ 'x-frame-options': 'DENY', 'cache-control': 'no-cache' });
  });

  it('reads and removals see pending headers as set', async () => {
    const got: unknown[] = [];
    const r = await serve((_req, res) => {
      addHeaders(res, SECURITY);
      got.push(res.hasHeader('x-frame-options'), res.getHeader('cache-control'));
      res.removeHeader('x-frame-options');
      got.push(res.getHeaderNames());
      res.end();
    });
    expect(got).toEqual([true, 'no-store', ['cache-control']]);
    expect(r.raw).toEqual([['cache-control', 'no-store']]);
  });

  it('releaseResponse keeps pending headers when another library swaps the response prototype (Express)', async () => {
    const r = await serve((_req, res) => {
      addHeader(res, 'x-request-id', 'r2');
      releaseResponse(res);
      Object.setPrototypeOf(res, Object.create(Object.getPrototypeOf(HeadResponse.prototype) as object));
      res.setHeader('x-other', '1');
      res.end();
    });
    expect(Object.fromEntries(r.raw)).toEqual({ 'x-request-id': 'r2', 'x-other': '1' });
  });

  it('runs the finish hook once, at finish, with the status sent; after a prototype swap as a listener', async () => {
    const seen: [string, number, number, number][] = [];
    const hook = (res: HeadResponse) => { seen.push([res.req.url ?? '', res.statusCode, res.startedAt, res.listenerCount('finish')]); };
    await serve((req, res) => {
      (res as HeadResponse).onFinish(hook, 7);
      if (req.url === '/') { res.statusCode = 204; res.end(); }
    });
    expect(seen).toEqual([['/', 204, 7, 1]]); // 1: Node's own finish listener, none of ours
    await serve((_req, res) => {
      (res as HeadResponse).onFinish(hook, 8);
      releaseResponse(res);
      Object.setPrototypeOf(res, Object.create(Object.getPrototypeOf(HeadResponse.prototype) as object));
      res.statusCode = 202;
      res.end();
    });
    expect(seen[1]!.slice(0, 3)).toEqual(['/', 202, 8]);
    expect(seen).toHaveLength(2);
  });

  it('falls back to setHeader on any other response', async () => {
    server = createServer((_req, res) => { addHeaders(res, SECURITY); addHeader(res, 'x-a', '1'); res.end(String(res.getHeader('x-frame-options'))); });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await r.text()).toBe('DENY');
    expect(r.headers.get('x-a')).toBe('1');
  });
});
