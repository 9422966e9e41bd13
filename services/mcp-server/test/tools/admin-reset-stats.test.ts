import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ALL_SCOPES, callTool, examples, principal, text, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('admin_reset_stats', () => {
  it('is listed to every principal (listing: always), as destructive and idempotent, so a UI can start the step-up', async () => {
    const list = async (scopes: readonly string[]) => (await ex.call('tools/list', {}, { principal: principal(scopes) })).result!.tools as { name: string; annotations?: unknown }[];
    for (const scopes of [['mcp:tools'], ['mcp:admin']]) {
      const tool = (await list(scopes)).find((t) => t.name === 'admin_reset_stats');
      expect(tool?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    }
  });

  it('refuses a caller without mcp:admin (step-up) and changes nothing', async () => {
    await callTool(ex, 'get_time');
    const r = await ex.call('tools/call', { name: 'admin_reset_stats', arguments: { confirm: true } }, { principal: principal(['mcp:tools', 'mcp:private']) });
    expect(r.status).toBe(403);
    expect(r.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:admin'] } });
    const counts = ((await callTool(ex, 'get_called_tools')).structuredContent as { counts: { name: string }[] }).counts.map((c) => c.name);
    expect(counts).toContain('get_time');
  });

  it('requires confirm: true', async () => {
    for (const args of [{}, { confirm: false }, { confirm: 'true' }]) {
      const r = await callTool(ex, 'admin_reset_stats', args, { principal: principal(['mcp:admin']) });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^Invalid arguments for tool admin_reset_stats: confirm: /);
    }
  });

  it('clears the statistics and reports how many calls it forgot and who did it', async () => {
    // Start from a clean slate, then make a known number of calls.
    await callTool(ex, 'admin_reset_stats', { confirm: true }, { principal: principal(ALL_SCOPES, 'root') });
    await callTool(ex, 'get_time');
    await callTool(ex, 'whoami');
    await callTool(ex, 'get_weather', { location: 'Paris' });
    // The first reset itself was recorded after it ran: 1 + 3 calls.
    const r = await callTool(ex, 'admin_reset_stats', { confirm: true }, { principal: principal(['mcp:admin'], 'root') });
    expect(r.structuredContent).toEqual({ cleared: 4, by: 'root' });
    const snap = (await callTool(ex, 'get_called_tools')).structuredContent as { counts: { name: string; calls: number }[] };
    // Only the reset that just ran (recorded after clearing) remains.
    expect(snap.counts).toEqual([{ name: 'admin_reset_stats', calls: 1 }]);
  });
});
