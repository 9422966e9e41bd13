/**
 * The per-subject bucket on plain node:http answers exactly as the express-rate-limit
 * middleware it replaced (same key, draft-8 headers, Retry-After, 429 body), and lets
 * requests through, logged, while a shared store is failing.
 */
import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
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
    const ours = createServer((_req, res) => { void limiter(res, principal).then((ok) => { if (ok) res.end('ok'); }); });
    for (let i = 0; i < 4; i++) {
      const [a, b] = [await request(old).get('/'), await request(ours).get('/')];
      expect(b.status).toBe(a.status);
      for (const h of ['ratelimit', 'ratelimit-policy', 'retry-after']) expect([h, b.headers[h]]).toEqual([h, a.headers[h]]);
      expect(b.text).toBe(a.text);
    }
  });

  it('lets requests through and logs while the store fails', async () => {
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (m: string) => { errors.push(m); } } as Logger;
    const broken: Store = {
      increment: () => Promise.reject(new Error('redis down')),
      decrement: async () => {}, resetKey: async () => {},
    };
    const limiter = createSubjectLimiter({ windowMs: 60_000, limit: 1, store: broken, logger });
    const ours = createServer((_req, res) => { void limiter(res, principal).then((ok) => { if (ok) res.end('ok'); }); });
    for (let i = 0; i < 3; i++) expect((await request(ours).get('/')).status).toBe(200);
    expect(errors).toHaveLength(3);
  });
});
