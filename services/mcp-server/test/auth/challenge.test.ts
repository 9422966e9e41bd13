import { describe, expect, it } from '@jest/globals';
import { buildChallenge, NO_CREDENTIALS, quoteHeaderValue } from '../../src/auth/challenge.js';
import { AuthError } from '../../src/auth/errors.js';

const RM = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

describe('buildChallenge (RFC 6750 §3, RFC 9728 §5.1)', () => {
  it('no credentials → 401 without an error code', () => {
    const c = buildChallenge(NO_CREDENTIALS, { resourceMetadataUrl: RM, scope: ['mcp:read', 'mcp:write'] });
    expect(c.status).toBe(401);
    expect(c.headers['WWW-Authenticate']).toBe(`Bearer resource_metadata="${RM}", scope="mcp:read mcp:write"`);
    expect(c.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
    expect(buildChallenge(new AuthError('no_credentials'), { resourceMetadataUrl: RM })).toEqual(
      buildChallenge(NO_CREDENTIALS, { resourceMetadataUrl: RM }));
  });

  it('invalid token → 401 error="invalid_token" with a generic description', () => {
    const c = buildChallenge(new AuthError('invalid_token', { reason: 'signature' }), {
      resourceMetadataUrl: RM, realm: 'mcp',
    });
    expect(c.status).toBe(401);
    expect(c.headers['WWW-Authenticate']).toBe(
      `Bearer realm="mcp", resource_metadata="${RM}", error="invalid_token", error_description="The access token is invalid"`);
    expect(JSON.stringify(c)).not.toContain('signature');
  });

  it('insufficient scope → 403 with the needed scopes (MCP step-up)', () => {
    const err = new AuthError('insufficient_scope', { requiredScopes: ['files:write', 'mcp:read'] });
    const c = buildChallenge(err, { resourceMetadataUrl: RM, scope: 'mcp:read' });
    expect(c.status).toBe(403);
    expect(c.headers['WWW-Authenticate']).toContain('error="insufficient_scope"');
    expect(c.headers['WWW-Authenticate']).toContain('scope="files:write mcp:read"');
    const fallback = buildChallenge(new AuthError('insufficient_scope'), { resourceMetadataUrl: RM, scope: 'x' });
    expect(fallback.headers['WWW-Authenticate']).toContain('scope="x"');
    const none = buildChallenge(new AuthError('insufficient_scope'), { resourceMetadataUrl: RM });
    expect(none.headers['WWW-Authenticate']).not.toContain('scope=');
  });

  it('invalid_request → 400; issuer_unavailable → 503 with Retry-After', () => {
    expect(buildChallenge(new AuthError('invalid_request'), { resourceMetadataUrl: RM }).status).toBe(400);
    const c = buildChallenge(new AuthError('issuer_unavailable'), { resourceMetadataUrl: RM });
    expect(c.status).toBe(503);
    expect(c.headers['Retry-After']).toBe('30');
    expect(c.body.error).toBe('temporarily_unavailable');
  });

  it('escapes CR/LF, quotes and backslashes in every reflected value', () => {
    const evil = 'a"b\\c\r\nSet-Cookie: x=1\u0000';
    const c = buildChallenge(new AuthError('insufficient_scope', { requiredScopes: [evil] }), {
      resourceMetadataUrl: `https://h/${evil}`, realm: evil, scope: evil,
    });
    const h = c.headers['WWW-Authenticate'];
    for (const ch of ['\r', '\n', '\u0000']) expect(h).not.toContain(ch);
    expect(h).toContain('realm="a\\"b\\\\cSet-Cookie: x=1"');
    expect(h.match(/(?<!\\)"/g)?.length).toBe(10); // 5 quoted values; every inner quote is escaped
    expect(quoteHeaderValue('\t"')).toBe('"\t\\""');
  });
});
