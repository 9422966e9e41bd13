/**
 * Outbound fetches are bounded while they stream: the byte limit holds without
 * Content-Length (it used to apply only when the header was sent, so a chunked 50 MB JWKS
 * was buffered whole), and a body that trickles forever times out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { boundedFetch, fetchJsonObject, FetchJsonError, MAX_RESPONSE_BYTES, ResponseTooLargeError, type FetchLike } from '../../src/auth/fetch-json.js';
import { createIntrospectionVerifier } from '../../src/auth/introspection-verifier.js';
import { AuthError } from '../../src/auth/errors.js';

const CHUNK = 64 * 1024;

/** A fetch whose 200 response streams `total` bytes of JSON-ish filler, counting what was pulled. */
function streaming(total: number, opts: { contentLength?: boolean; stallAfter?: number } = {}): { fetch: FetchLike; pulled(): number } {
  let pulled = 0;
  const fetch: FetchLike = async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (opts.stallAfter !== undefined && sent >= opts.stallAfter) return new Promise<void>(() => {}); // never more
        if (sent >= total) { controller.close(); return; }
        const n = Math.min(CHUNK, total - sent);
        const chunk = new Uint8Array(n).fill(0x20);
        if (sent === 0) chunk[0] = 0x7b; // '{'
        sent += n; pulled += n;
        controller.enqueue(chunk);
      },
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.contentLength) headers['content-length'] = String(total);
    return new Response(body, { status: 200, headers });
  };
  return { fetch, pulled: () => pulled };
}

let server: Server | undefined;
afterEach(async () => { await new Promise<void>((r) => (server ? server.close(() => r()) : r())); server = undefined; });

describe('fetchJsonObject', () => {
  it('stops reading a 50 MB body sent without Content-Length at the limit', async () => {
    const s = streaming(50 * 1024 * 1024);
    const err = await fetchJsonObject(s.fetch, 'https://as.example/jwks', 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchJsonError);
    expect((err as Error).message).toMatch(/body too large/);
    expect(s.pulled()).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 2 * CHUNK);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const s = streaming(50 * 1024 * 1024, { contentLength: true });
    await expect(fetchJsonObject(s.fetch, 'https://as.example/jwks', 5000)).rejects.toThrow(/body too large/);
    expect(s.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it('times out a body that stalls after the headers', async () => {
    const s = streaming(1024 * 1024, { stallAfter: CHUNK });
    const t0 = Date.now();
    await expect(fetchJsonObject(s.fetch, 'https://as.example/jwks', 300)).rejects.toThrow(/timed out/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('over real HTTP: a chunked 50 MB answer is cut off, not buffered', async () => {
    let written = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length
      const chunk = Buffer.alloc(CHUNK, 0x20);
      const more = () => {
        while (written < 50 * 1024 * 1024) {
          written += CHUNK;
          if (!res.write(chunk)) { res.once('drain', more); return; }
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      more();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    await expect(fetchJsonObject((u, i) => fetch(u, i), url, 5000)).rejects.toThrow(/body too large/);
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('boundedFetch (introspection and token exchange through openid-client)', () => {
  it('errors the body stream at the limit', async () => {
    const s = streaming(50 * 1024 * 1024);
    const r = await boundedFetch(s.fetch, 5000)('https://as.example/introspect');
    await expect(r.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(s.pulled()).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 4 * CHUNK);
  });

  it('an introspection answer of endless JSON is an outage (503), read only up to the limit', async () => {
    const s = streaming(50 * 1024 * 1024);
    const v = createIntrospectionVerifier({
      issuer: 'https://as.example', clientId: 'rs', clientAuth: { method: 'client_secret_basic', clientSecret: 's' },
      introspectionEndpoint: 'https://as.example/introspect', audiences: ['https://mcp.example/mcp'], fetch: s.fetch,
    });
    const err = await v.verify('opaque-token').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).code).toBe('issuer_unavailable');
    expect(s.pulled()).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 4 * CHUNK);
  });

  it('times out an introspection answer that stalls mid-body', async () => {
    const s = streaming(1024 * 1024, { stallAfter: CHUNK });
    const v = createIntrospectionVerifier({
      issuer: 'https://as.example', clientId: 'rs', clientAuth: { method: 'client_secret_basic', clientSecret: 's' },
      introspectionEndpoint: 'https://as.example/introspect', audiences: ['https://mcp.example/mcp'], fetch: s.fetch, timeoutMs: 300,
    });
    const t0 = Date.now();
    await expect(v.verify('opaque-token')).rejects.toMatchObject({ code: 'issuer_unavailable' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
