import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOriginGuard, LOOPBACK_HOSTS, LOOPBACK_ORIGINS, originMatcher } from '../../src/http/origin-guard.js';

describe('originMatcher', () => {
  it('matches exact origins case-insensitively', () => {
    const m = originMatcher(['https://app.example.com', 'http://localhost:6274']);
    expect(m('https://app.example.com')).toBe(true);
    expect(m('HTTPS://APP.EXAMPLE.COM')).toBe(true);
    expect(m('http://localhost:6274')).toBe(true);
    expect(m('http://localhost:6275')).toBe(false);
    expect(m('https://app.example.com.evil.com')).toBe(false);
    expect(m('https://evil.com')).toBe(false);
    expect(m('null')).toBe(false);
  });

  it('wildcards only the port with :*', () => {
    const m = originMatcher(LOOPBACK_ORIGINS);
    expect(m('http://localhost')).toBe(true);
    expect(m('http://localhost:1')).toBe(true);
    expect(m('http://127.0.0.1:8080')).toBe(true);
    expect(m('http://[::1]:3000')).toBe(true);
    expect(m('http://localhost.evil.com')).toBe(false);
    expect(m('http://localhost:80.evil.com')).toBe(false);
    expect(m('http://127.0.0.1x')).toBe(false);
    expect(m('https://localhost:3000')).toBe(false);
    expect(m('http://127a0a0a1:80')).toBe(false);
  });

  it('allows everything with * and rejects malformed patterns', () => {
    expect(originMatcher(['*'])('https://anything.example')).toBe(true);
    expect(() => originMatcher(['localhost:3000'])).toThrow(/Invalid allowed origin/);
    expect(() => originMatcher(['http://a.com/path'])).toThrow(/Invalid allowed origin/);
    expect(() => originMatcher(['ftp://a.com'])).toThrow(/Invalid allowed origin/);
  });
});

function run(guard: ReturnType<typeof createOriginGuard>, headers: Record<string, string | undefined>) {
  let status = 0;
  let body = '';
  // Replies may go out as writeHead + end or as statusCode + setHeader + end.
  const fake = {
    headersSent: false,
    statusCode: 0,
    setHeader() { return fake; },
    writeHead(s: number) { status = s; return fake; },
    end(b?: string) { body = b ?? ''; },
  };
  const ok = guard({ headers } as unknown as IncomingMessage, fake as unknown as ServerResponse);
  return { ok, status: status || fake.statusCode, body: body ? JSON.parse(body) as { error: { message: string } } : undefined };
}

describe('createOriginGuard', () => {
  const guard = createOriginGuard({ allowedOrigins: LOOPBACK_ORIGINS, allowedHosts: LOOPBACK_HOSTS });

  it('lets requests without Origin through when the Host is allowed', () => {
    expect(run(guard, { host: 'localhost:3000' }).ok).toBe(true);
    expect(run(guard, { host: '127.0.0.1' }).ok).toBe(true);
    expect(run(guard, { host: '[::1]:3000' }).ok).toBe(true);
    expect(run(guard, { host: 'LOCALHOST:3000', origin: 'http://localhost:5173' }).ok).toBe(true);
  });

  it('answers 403 for a Host that is not a loopback name (DNS rebinding)', () => {
    for (const host of ['evil.example:3000', 'localhost.evil.example', '127.0.0.2:80', undefined]) {
      const r = run(guard, { host });
      expect(r).toMatchObject({ ok: false, status: 403 });
      expect(r.body?.error.message).toMatch(/Host not allowed/);
    }
  });

  it('answers 403 for an Origin that is not allowed', () => {
    const r = run(guard, { host: 'localhost:3000', origin: 'https://evil.example' });
    expect(r).toMatchObject({ ok: false, status: 403 });
    expect(r.body?.error.message).toMatch(/Origin not allowed/);
  });

  it('skips the Host check when no hosts are configured', () => {
    const open = createOriginGuard({ allowedOrigins: ['https://app.example.com'] });
    expect(run(open, { host: 'anything.example' }).ok).toBe(true);
    expect(run(open, { host: 'anything.example', origin: 'https://app.example.com' }).ok).toBe(true);
    expect(run(open, { host: 'anything.example', origin: 'http://localhost:1' }).ok).toBe(false);
  });
});
