import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { extractBearerToken, findNonHeaderToken, nonHeaderTokenError } from '../../src/auth/bearer.js';
import { AuthError, ConfigurationError } from '../../src/auth/errors.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError);
    return (err as AuthError).code;
  }
};

describe('extractBearerToken (RFC 6750 §2.1)', () => {
  it('extracts a token with a case-insensitive scheme', () => {
    for (const h of ['Bearer abc.DEF-_~+/==', 'bearer abc.DEF-_~+/==', 'BEARER   abc.DEF-_~+/==', ' Bearer abc.DEF-_~+/== ']) {
      expect(extractBearerToken(h)).toEqual({ kind: 'token', token: 'abc.DEF-_~+/==' });
    }
  });

  it('treats a missing header, an empty one, or another scheme as no credentials (§3.1)', () => {
    for (const h of [undefined, '', '   ', 'Basic dXNlcjpwYXNz', 'DPoP abc', 'Bearerabc']) {
      expect(extractBearerToken(h)).toEqual({ kind: 'none' });
    }
  });

  it('rejects structural problems as invalid_request', () => {
    for (const h of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a\tb', 'Bearer\tabc', '@@@ abc']) {
      expect(codeOf(() => extractBearerToken(h))).toBe('invalid_request');
    }
  });

  it('rejects tokens outside the b64token syntax as invalid_token', () => {
    for (const tok of ['a,b', 'a"b', '=abc', 'ab=c', 'ä', 'a\r\nX-Injected: 1', 'a;b']) {
      expect(codeOf(() => extractBearerToken(`Bearer ${tok}`))).toMatch(/invalid_(token|request)/);
    }
    expect(codeOf(() => extractBearerToken('Bearer a"b'))).toBe('invalid_token');
  });

  it('enforces the length cap before parsing (default 8192, configurable)', () => {
    expect(extractBearerToken(`Bearer ${'a'.repeat(8192)}`).kind).toBe('token');
    expect(codeOf(() => extractBearerToken(`Bearer ${'a'.repeat(8193)}`))).toBe('invalid_token');
    expect(codeOf(() => extractBearerToken(`Bearer ${'a'.repeat(1_000_000)}`))).toBe('invalid_token');
    expect(codeOf(() => extractBearerToken(`Bearer ${'a'.repeat(101)}`, { maxTokenBytes: 100 }))).toBe('invalid_token');
    expect(() => extractBearerToken('Bearer a', { maxTokenBytes: 0 })).toThrow(ConfigurationError);
  });

  it('never accepts a token containing characters outside the grammar (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 64 }), (s) => {
      try {
        const r = extractBearerToken(`Bearer ${s}`);
        if (r.kind === 'token') expect(r.token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
      } catch (err) {
        expect(err).toBeInstanceOf(AuthError);
      }
    }));
  });
});

describe('findNonHeaderToken (RFC 6750 §2.2/§2.3 are refused)', () => {
  it('finds access_token in the query string', () => {
    expect(findNonHeaderToken({ url: '/mcp?access_token=x' })).toBe('query');
    expect(findNonHeaderToken({ url: 'https://h/mcp?a=1&access_token=' })).toBe('query');
    expect(findNonHeaderToken({ url: '/mcp?token=x#access_token=y' })).toBeUndefined();
    expect(findNonHeaderToken({ url: '/mcp' })).toBeUndefined();
  });

  it('finds access_token in form or parsed bodies', () => {
    expect(findNonHeaderToken({ body: 'a=1&access_token=x' })).toBe('body');
    expect(findNonHeaderToken({ body: new URLSearchParams({ access_token: 'x' }) })).toBe('body');
    expect(findNonHeaderToken({ body: { access_token: 'x' } })).toBe('body');
    expect(findNonHeaderToken({ body: { jsonrpc: '2.0', params: { access_token: 'x' } } })).toBeUndefined();
    expect(findNonHeaderToken({ body: [{ access_token: 'x' }] })).toBeUndefined();
    expect(findNonHeaderToken({ body: null })).toBeUndefined();
  });

  it('maps a finding to a 400 invalid_request', () => {
    const err = nonHeaderTokenError('query');
    expect(err).toMatchObject({ code: 'invalid_request', status: 400, error: 'invalid_request' });
  });
});
