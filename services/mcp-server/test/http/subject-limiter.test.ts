/**
 * The per-subject bucket on plain node:http answers exactly as the express-rate-limit
 * middleware it replaced (same key, draft-8 headers, Retry-After, 429 body), answers
 * synchronously without a store, and lets requests through, logged, while a shared store is
 * failing.
 */
import { describe, expect, it } from '@jest/globals';
import { createServer, type ServerResponse } from 'node:http';
import express from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import request from 'supertest';
import type { Logger } from '../../src/logging/logger.js';
import { silentLogger } from '../../src/logging/logger.js';
import { localPrincipal } from '../../src/mcp/principal.js';
import { createSubjectLimiter } from '../../src/http/subject-limiter.js';

const principal = { ...localPrincipal('alice', ['mcp:tools'], 'app'), issuer: 'https://as.example' };
const MESSAGE = { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Too many requests; retry after the time in the Retry-After header' } };

describe('createSubjectLimiter', () => {
  it('answers like the express-rate-limit middleware configured as createRateLimiters did', async () => {
    const old = express().use(rateLimit({
      windowMs: 60_000, limit: 2, standardHeaders: 'draft-8', legacyHeaders: false, identifier: 'requests',
      keyGenerator: () => `sub:${principal.issuer}:${principal.subject}`, message: MESSAGE,
    })).use((_req, res) => { res.end('ok'); });
    const limiter = createSubjectLimiter({ windowMs: 60_000, limit: 2, logger: silentLogger });
    const ours = createServer((_req, res) => { void Promise.resolve(limiter(res, principal)).then((ok) => { if (ok) res.end('ok'); }); });
    for (let i = 0; i < 4; i++) {
      const [a, b] = [await request(old).get('/'), await request(ours).get('/')];
      expect(b.status).toBe(a.status);
      for (const h of ['ratelimit', 'ratelimit-policy', 'retry-after']) expect([h, b.headers[h]]).toEqual([h, a.headers[h]]);
      expect(b.text).toBe(a.text);
    }
  });

  it('answers synchronously without a store, a window per subject opened by its first hit', () => {
    let now = 1_000_000;
    const limiter = createSubjectLimiter({ windowMs: 10_000, limit: 2, logger: silentLogger, now: () => now });
    const headers: string[] = [];
    const sent: unknown[] = [];
    const res = {
      headersSent: false, statusCode: 200,
      setHeader: (k: string, v: string) => { headers.push(`${k}: ${v}`); }, end: (b: unknown) => { sent.push(b); },
    } as unknown as ServerResponse;
    expect(limiter(res, principal)).toBe(true);
    now += 4_000;
    expect(limiter(res, principal)).toBe(true);
    expect(headers).toContain('ratelimit: "requests"; r=0; t=6');
    const bob = { ...principal, subject: 'bob' };
    expect(limiter(res, bob)).toBe(true); // another subject, its own window
    expect(headers).toContain('ratelimit: "requests"; r=1; t=10');
    now += 5_999;
    expect(limiter(res, principal)).toBe(false); // still alice's first window
    expect(headers).toContain('Retry-After: 1');
    expect([res.statusCode, JSON.parse(sent[0] as string)]).toEqual([429, MESSAGE]);
    now += 1;
    expect(limiter(res, principal)).toBe(true); // her window ended: a new one
    expect(headers.at(-2)).toBe('ratelimit: "requests"; r=1; t=10');
  });

  it('lets requests through and logs while the store fails', async () => {
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (m: string) => { errors.push(m); } } as Logger;
    const broken: Store = {
      increment: () => Promise.reject(new Error('redis down')),
      decrement: async () => {}, resetKey: async () => {},
    };
    const limiter = createSubjectLimiter({ windowMs: 60_000, limit: 1, store: broken, logger });
    const ours = createServer((_req, res) => { void Promise.resolve(limiter(res, principal)).then((ok) => { if (ok) res.end('ok'); }); });
    for (let i = 0; i < 3; i++) expect((await request(ours).get('/')).status).toBe(200);
    expect(errors).toHaveLength(3);
  });
});
