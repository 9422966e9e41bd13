/**
 * RFC 9728 Protected Resource Metadata as the running server publishes it: at the
 * path-suffixed well-known URI (§3.1) and at the root one, exact JSON, GET and HEAD only,
 * readable without a token from any origin, cacheable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
let expected: string;
beforeAll(async () => {
  h = await startOAuthServer();
  expected = JSON.stringify({
    resource: h.resource,
    authorization_servers: [h.as.issuer],
    scopes_supported: ['mcp:admin', 'mcp:private', 'mcp:prompts', 'mcp:resources', 'mcp:tools'],
    bearer_methods_supported: ['header'],
    resource_name: 'MCP Resource Server',
  });
});
afterAll(async () => { await h?.close(); });

const PATHS = ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'];

describe.each(PATHS)('GET/HEAD %s', (path) => {
  it('GET: 200, the exact document, CORS *, public caching, no token needed', async () => {
    const r = await request(h.origin).get(path).set('origin', 'https://any.example');
    expect(r.status).toBe(200);
    expect(r.text).toBe(expected);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores a query string', async () => {
    const r = await request(h.origin).get(`${path}?x=1`);
    expect(r.status).toBe(200);
    expect(r.text).toBe(expected);
  });

  it('HEAD: 200 with the same headers and no body', async () => {
    const r = await request(h.origin).head(path);
    expect(r.status).toBe(200);
    expect(r.text).toBeUndefined();
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('POST, PUT and DELETE: 405 with Allow: GET, HEAD', async () => {
    for (const method of ['post', 'put', 'delete'] as const) {
      const r = await request(h.origin)[method](path).set('authorization', 'Bearer whatever');
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.text).toBe('{"error":"method_not_allowed"}');
    }
  });

  it('answers a browser preflight from any origin', async () => {
    const r = await request(h.origin).options(path).set('origin', 'https://any.example').set('access-control-request-method', 'GET');
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(r.headers['access-control-allow-headers']).toBe('Accept, Authorization, Cache-Control, Content-Type, MCP-Protocol-Version');
    expect(r.headers['access-control-max-age']).toBe('86400');
  });

  it('allows the headers a browser client asks for (Inspector direct mode sends Content-Type on the GET)', async () => {
    for (const asked of ['content-type', 'content-type,mcp-protocol-version', 'authorization, x-custom-thing']) {
      const r = await request(h.origin).options(path).set('origin', 'http://localhost:6274')
        .set('access-control-request-method', 'GET').set('access-control-request-headers', asked);
      expect(r.status).toBe(204);
      expect(r.headers['access-control-allow-headers']).toBe(asked);
      expect(r.headers.vary).toMatch(/Access-Control-Request-Headers/);
    }
  });

  it('does not echo a malformed or oversized header list', async () => {
    for (const asked of ['bad header', 'a,'.repeat(40) + 'a', 'x'.repeat(1100), 'ok;evil']) {
      const r = await request(h.origin).options(path).set('origin', 'https://any.example')
        .set('access-control-request-method', 'GET').set('access-control-request-headers', asked);
      expect(r.headers['access-control-allow-headers']).toBe('Accept, Authorization, Cache-Control, Content-Type, MCP-Protocol-Version');
    }
  });
});

describe('discovery from the challenge', () => {
  it('the resource_metadata URL in a 401 is the path-suffixed document', async () => {
    const r = await request(h.origin).post('/mcp').set('content-type', 'application/json').send('{}');
    expect(r.status).toBe(401);
    const url = /resource_metadata="([^"]+)"/.exec(r.headers['www-authenticate'] as string)?.[1];
    expect(url).toBe(`${h.origin}${PATHS[0]}`);
    const doc = await request(h.origin).get(new URL(url!).pathname);
    expect(doc.text).toBe(expected);
  });

  it('other well-known paths are not ours', async () => {
    expect((await request(h.origin).get('/.well-known/oauth-protected-resource/other')).status).toBe(404);
    expect((await request(h.origin).get('/.well-known/oauth-authorization-server')).status).toBe(404);
  });
});
