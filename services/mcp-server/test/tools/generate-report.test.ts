import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JsonRpcNotification } from '../../src/mcp/protocol.js';
import { STEP_MS } from '../../src/tools/generate-report.js';
import { callTool, examples, principal, text, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('generate_report', () => {
  it('is listed with bounded inputs (topic up to 100 characters, 1..20 steps, default 5) and needs mcp:tools', async () => {
    const r = await ex.call('tools/list');
    const tools = r.result!.tools as { name: string; inputSchema: Record<string, unknown> }[];
    expect(tools.find((t) => t.name === 'generate_report')?.inputSchema).toMatchObject({
      required: ['topic'],
      properties: { topic: { type: 'string', minLength: 1, maxLength: 100 }, steps: { type: 'integer', minimum: 1, maximum: 20, default: 5 } },
    });
    const prompts = await ex.call('tools/list', {}, { principal: principal(['mcp:prompts']) });
    expect((prompts.result!.tools as { name: string }[]).map((t) => t.name)).not.toContain('generate_report');
  });

  it('takes about half a second per step and sends one progress notification per step', async () => {
    const progress: JsonRpcNotification[] = [];
    const started = Date.now();
    const r = await callTool(ex, 'generate_report', { topic: 'Quarterly numbers', steps: 2 }, {
      meta: { progressToken: 'report-1' },
      onNotify: (n) => { if (n.method === 'notifications/progress') progress.push(n); },
    });
    const took = Date.now() - started;
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toMatchObject({
      topic: 'Quarterly numbers', steps: 2,
      sections: ['Section 1: Quarterly numbers, part 1 of 2', 'Section 2: Quarterly numbers, part 2 of 2'],
    });
    expect(took).toBeGreaterThanOrEqual(2 * STEP_MS - 20);
    expect(progress.map((n) => n.params)).toEqual([
      { progressToken: 'report-1', progress: 1, total: 2, message: 'step 1 of 2' },
      { progressToken: 'report-1', progress: 2, total: 2, message: 'step 2 of 2' },
    ]);
  });

  it('sends no progress without a progress token', async () => {
    const notes: JsonRpcNotification[] = [];
    const r = await callTool(ex, 'generate_report', { topic: 'x', steps: 1 }, { onNotify: (n) => notes.push(n) });
    expect(r.structuredContent).toMatchObject({ steps: 1, sections: ['Section 1: x, part 1 of 1'] });
    expect(notes.filter((n) => n.method === 'notifications/progress')).toEqual([]);
  });

  it('stops at once when the request is cancelled, instead of finishing the remaining steps', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    const started = Date.now();
    const r = await callTool(ex, 'generate_report', { topic: 'Cancelled', steps: 20 }, { signal: cancel.signal });
    expect(Date.now() - started).toBeLessThan(STEP_MS);
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('Report on "Cancelled" cancelled after 0 of 20 steps');
  });

  it.each([
    ['a missing topic', {}, /topic/],
    ['a blank topic', { topic: '  ' }, /topic/],
    ['a topic over 100 characters', { topic: 'x'.repeat(101) }, /topic/],
    ['zero steps', { topic: 'x', steps: 0 }, /steps/],
    ['21 steps', { topic: 'x', steps: 21 }, /steps/],
    ['a fractional step count', { topic: 'x', steps: 1.5 }, /steps/],
  ])('answers %s with an isError result naming the field, before any step runs', async (_what, args, field) => {
    const started = Date.now();
    const r = await callTool(ex, 'generate_report', args);
    expect(Date.now() - started).toBeLessThan(STEP_MS);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Invalid arguments for tool generate_report: /);
    expect(text(r)).toMatch(field);
  });
});
