/**
 * /metrics as main.ts wires it (MCP_METRICS=port on loopback), parsed by Prometheus's own
 * text parser: counters move for real HTTP requests, auth failures by reason, rate-limit
 * refusals, the tool latency histogram, and names outside the catalogue stay "unknown".
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { modernBody, modernHeaders } from '../helpers/http.js';
import { parseExposition, valueOf, type Families } from '../helpers/prom-parse.js';
import { freePort, startOAuthServer, type Harness } from '../bootstrap/harness.js';

let h: Harness;
let metricsUrl: string;
beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}`;
  h = await startOAuthServer({ env: {
    MCP_METRICS: 'port', MCP_METRICS_PORT: String(port),
    MCP_JWKS_COOLDOWN_MS: '0', MCP_RATE_LIMIT_WINDOW_MS: '1000', MCP_RATE_LIMIT_MAX: '2',
    MCP_RATE_LIMIT_FAILED_AUTH_MAX: '1', MCP_AUTH_FAILURE_DELAY_MS: '60000',
  } });
});
afterAll(async () => { await h?.close(); });

function call(tool: string, authorization?: string) {
  let r = request(h.origin).post('/mcp');
  for (const [k, v] of Object.entries(modernHeaders('tools/call', tool))) r = r.set(k, v);
  if (authorization) r = r.set('authorization', authorization);
  return r.send(JSON.stringify(modernBody('tools/call', { name: tool, arguments: { location: 'Oslo' } })));
}

async function scrape(): Promise<Families> {
  const r = await request(metricsUrl).get('/metrics');
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(r.text);
}

describe('metrics', () => {
  it('are not on the public listener, and the metrics listener serves nothing else', async () => {
    expect((await request(h.origin).get('/metrics')).status).toBe(404);
    expect((await request(metricsUrl).get('/mcp')).status).toBe(404);
  });

  it('count requests by method, status and era, tool calls and their latency', async () => {
    const before = await scrape();
    const token = `Bearer ${await h.token('alice')}`;
    expect((await call('get_weather', token)).status).toBe(200);
    const r = await call('no_such_tool', token); // -32602, its status as the transport maps it
    const after = await scrape();
    const d = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(d('mcp_requests_total', { method: 'tools/call', status: '200', era: 'modern' })).toBe(r.status === 200 ? 2 : 1);
    expect(d('mcp_requests_total', { method: 'tools/call', status: String(r.status), era: 'modern' })).toBeGreaterThanOrEqual(1);
    expect(d('mcp_tool_calls_total', { tool: 'get_weather', outcome: 'ok' })).toBe(1);
    expect(d('mcp_tool_calls_total', { tool: 'unknown', outcome: 'error' })).toBe(1);
    expect(after.mcp_tool_call_duration_seconds.type).toBe('HISTOGRAM');
    expect(d('mcp_tool_call_duration_seconds', { tool: 'get_weather' })).toBe(1);
    // The invented name never becomes a label value.
    expect(JSON.stringify(after)).not.toContain('no_such_tool');
    expect(valueOf(after, 'mcp_token_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
    // The start-up fetch happens before metrics start; an unknown kid makes the server refetch.
    expect((await call('get_weather', `Bearer ${await h.token('carol', {}, { kid: 'rotated' })}`)).status).toBe(401);
    expect(valueOf(await scrape(), 'mcp_jwks_fetches_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_user_seconds_total', 'mcp_open_streams', 'mcp_sessions', 'mcp_token_cache_entries']) expect(after[name]).toBeDefined();
  });

  it('count authentication failures by reason (never the token) and rate-limit refusals', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a fresh 1 s window for the limits
    const before = await scrape();
    const garbage = 'Bearer secret-garbage-token';
    expect((await call('get_weather', garbage)).status).toBe(401);
    expect((await call('get_weather', garbage)).status).toBe(429); // over the failed-auth limit
    const token = `Bearer ${await h.token('bob')}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('get_weather', token)).status);
    expect(statuses).toContain(429);
    const after = await scrape();
    const d = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(d('mcp_auth_failures_total', { reason: 'invalid_token' })).toBe(2);
    expect(d('mcp_rate_limit_refusals_total', { limit: 'failed_auth' })).toBe(1);
    expect(d('mcp_rate_limit_refusals_total', { limit: 'requests' })).toBeGreaterThanOrEqual(1);
    const text = (await request(metricsUrl).get('/metrics')).text;
    expect(text).not.toContain('secret-garbage-token');
    expect(text).not.toContain('bob');
  });
});
