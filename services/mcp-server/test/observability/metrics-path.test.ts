/**
 * MCP_METRICS=path: the exposition on the main listener, outside the MCP pipeline (no bearer
 * token needed, never a 401), and the settings that would put it behind the MCP auth or on
 * the MCP port refused at start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { parseExposition } from '../helpers/prom-parse.js';
import { startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
beforeAll(async () => { h = await startOAuthServer({ env: { MCP_METRICS: 'path', MCP_METRICS_PATH: '/internal/metrics' } }); });
afterAll(async () => { await h?.close(); });

describe('MCP_METRICS=path', () => {
  it('serves the exposition on the main listener without authentication', async () => {
    const r = await request(h.origin).get('/internal/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(parseExposition(r.text).mcp_open_streams.type).toBe('GAUGE');
    expect((await request(h.origin).post('/internal/metrics')).status).toBe(404);
  });

  it('refuses a metrics path equal to MCP_PATH and a metrics port equal to PORT', () => {
    expect(() => loadConfig({ MCP_METRICS: 'path', MCP_METRICS_PATH: '/mcp' })).toThrow(/MCP_METRICS_PATH.*must differ from MCP_PATH/);
    expect(() => loadConfig({ MCP_METRICS: 'port', PORT: '9464' })).toThrow(/MCP_METRICS_PORT.*must differ from PORT/);
    expect(loadConfig({}).MCP_METRICS).toBe('off');
    expect(loadConfig({}).MCP_METRICS_HOST).toBe('127.0.0.1');
  });
});
