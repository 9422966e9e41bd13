/**
 * The fast MCP path derives the client address, scheme and host itself; they must be what
 * Express's `req.ip`, `req.protocol` and `req.host` say for every `trust proxy` setting, or
 * the failed-auth throttle and DPoP `htu` would differ between the two mounts.
 */
import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import request from 'supertest';
import { clientAddress, decorateForwarded, type TrustProxy } from '../../src/http/client-address.js';

const SETTINGS: (boolean | number | string)[] = [false, true, 1, 2, 'loopback', '10.0.0.0/8', 'loopback, 10.0.0.0/8', '192.0.2.1'];
const HEADERS: Record<string, string>[] = [
  {},
  { 'x-forwarded-for': '203.0.113.9' },
  { 'x-forwarded-for': '203.0.113.9, 10.1.2.3', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mcp.example.com' },
  { 'x-forwarded-for': ' 198.51.100.1 ,, 10.0.0.1 , 203.0.113.9', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'a.example, b.example' },
  { 'x-forwarded-for': '2001:db8::1, 10.9.9.9', 'x-forwarded-proto': '' },
];

describe('clientAddress and decorateForwarded', () => {
  it.each(SETTINGS)('agree with Express under trust proxy = %p', async (setting) => {
    const app = express();
    app.set('trust proxy', setting);
    const trust = app.get('trust proxy fn') as TrustProxy;
    app.get('/', (req, res) => {
      // A plain request with the same socket and headers, as the fast path sees it.
      const plain = { headers: req.headers, socket: req.socket } as IncomingMessage & { protocol?: string; host?: string };
      decorateForwarded(plain, trust);
      res.json({
        express: { ip: req.ip, protocol: req.protocol, host: req.host },
        ours: {
          ip: clientAddress(plain, trust),
          protocol: plain.protocol ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'),
          host: plain.host ?? req.headers.host,
        },
      });
    });
    for (const headers of HEADERS) {
      const r = await request(app).get('/').set(headers);
      expect(r.body.ours).toEqual(r.body.express);
    }
  });
});
