import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CalledTools } from '../../src/tools/called-tools.js';
import { callTool, examples, principal, type Examples } from './support/examples.js';

let ex: Examples;
beforeEach(async () => { ex = await examples(); });
afterEach(async () => { await ex.close(); });

interface Snapshot { counts: { name: string; calls: number }[]; recent: { name: string; subject: string; at: string; outcome: string }[] }

describe('get_called_tools', () => {
  it('starts empty and does not count the call that is reporting', async () => {
    const r = await callTool(ex, 'get_called_tools');
    expect(r.structuredContent).toEqual({ counts: [], recent: [] });
    const again = await callTool(ex, 'get_called_tools');
    expect((again.structuredContent as unknown as Snapshot).counts).toEqual([{ name: 'get_called_tools', calls: 1 }]);
  });

  it('counts every call exactly once under 200 concurrent tools/call requests', async () => {
    const plan = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 0) return { name: 'get_time', args: { timezone: 'UTC' } };
      if (i % 4 === 1) return { name: 'whoami', args: {} };
      if (i % 4 === 2) return { name: 'get_weather', args: { location: `City ${i}` } };
      return { name: 'get_weather', args: {} }; // invalid: still a finished call, outcome "error"
    });
    const results = await Promise.all(plan.map((p, i) => callTool(ex, p.name, p.args, { principal: principal(undefined, `user-${i % 7}`) })));
    expect(results.filter((r) => r.isError === true)).toHaveLength(50);
    const snap = (await callTool(ex, 'get_called_tools')).structuredContent as unknown as Snapshot;
    expect(snap.counts).toEqual([
      { name: 'get_time', calls: 50 },
      { name: 'get_weather', calls: 100 },
      { name: 'whoami', calls: 50 },
    ]);
    // The most recent 50 are kept, newest last, each with who called and how it ended.
    expect(snap.recent).toHaveLength(50);
    for (const r of snap.recent) {
      expect(r.subject).toMatch(/^user-\d$/);
      expect(['ok', 'error']).toContain(r.outcome);
    }
    const audited = ex.audits.filter((a) => a.method === 'tools/call' && a.name !== 'get_called_tools');
    expect(audited).toHaveLength(200);
    expect(audited.filter((a) => a.outcome === 'error')).toHaveLength(50);
  });

  it('ignores prompts/get and resources/read, and records denied calls', async () => {
    await ex.call('prompts/get', { name: 'help' });
    await ex.call('resources/read', { uri: 'info://server' });
    const denied = await ex.call('tools/call', { name: 'admin_reset_stats', arguments: { confirm: true } }, { principal: principal(['mcp:tools']) });
    expect(denied.error?.code).toBe(-32010);
    const snap = (await callTool(ex, 'get_called_tools')).structuredContent as unknown as Snapshot;
    expect(snap.counts).toEqual([{ name: 'admin_reset_stats', calls: 1 }]);
    expect(snap.recent).toEqual([expect.objectContaining({ name: 'admin_reset_stats', outcome: 'denied' })]);
  });

  it('needs mcp:tools', async () => {
    const r = await ex.call('tools/call', { name: 'get_called_tools', arguments: {} }, { principal: principal(['mcp:prompts']) });
    expect(r.status).toBe(403);
    expect(r.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:tools'] } });
  });
});

describe('CalledTools', () => {
  it('keeps at most `keep` recent calls and returns copies', () => {
    const c = new CalledTools(['t0', 't1', 't2', 't3', 't4'], 3);
    for (let i = 0; i < 5; i++) c.record({ method: 'tools/call', name: `t${i}`, subject: 's', outcome: 'ok', durationMs: 1 }, new Date(0));
    const snap = c.snapshot();
    expect(snap.recent.map((r) => r.name)).toEqual(['t2', 't3', 't4']);
    snap.recent[0].name = 'mutated';
    expect(c.snapshot().recent[0].name).toBe('t2');
    expect(c.reset()).toBe(5);
    expect(c.snapshot()).toEqual({ counts: [], recent: [] });
  });

  it('never stores unknown tool names: 25 calls with 4 MiB names leave the state empty', () => {
    const c = new CalledTools(['get_time']);
    const huge = 'x'.repeat(4 * 1024 * 1024);
    for (let i = 0; i < 25; i++) c.record({ method: 'tools/call', name: `${huge}${i}`, subject: 's', outcome: 'error', durationMs: 1 });
    expect(c.snapshot()).toEqual({ counts: [], recent: [] });
    expect(JSON.stringify(c.snapshot()).length).toBeLessThan(100);
  });

  it('caps the subject kept in the recent list', () => {
    const c = new CalledTools(['get_time']);
    c.record({ method: 'tools/call', name: 'get_time', subject: 's'.repeat(100_000), outcome: 'ok', durationMs: 1 });
    expect(c.snapshot().recent[0].subject.length).toBeLessThanOrEqual(256);
  });
});

describe('unknown tool names through the engine', () => {
  it('are audited truncated and never reach get_called_tools', async () => {
    const name = `no_such_tool_${'y'.repeat(1024 * 1024)}`;
    const r = await ex.call('tools/call', { name, arguments: {} });
    expect(r.error?.code).toBe(-32602);
    const audit = ex.audits.find((a) => a.name.startsWith('no_such_tool_'))!;
    expect(audit.outcome).toBe('error');
    expect(audit.name.length).toBeLessThanOrEqual(257);
    const snap = (await callTool(ex, 'get_called_tools')).structuredContent as unknown as Snapshot;
    expect(snap).toEqual({ counts: [], recent: [] });
  });
});
