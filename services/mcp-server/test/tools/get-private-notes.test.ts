import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ALL_SCOPES, BASIC_SCOPES, callTool, examples, principal, text, type Examples } from './support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

const names = async (scopes: readonly string[]) =>
  ((await ex.call('tools/list', {}, { principal: principal(scopes) })).result!.tools as { name: string }[]).map((t) => t.name);

describe('get_private_notes', () => {
  it('is hidden from tools/list without mcp:private and listed with it', async () => {
    expect(await names(BASIC_SCOPES)).not.toContain('get_private_notes');
    expect(await names(ALL_SCOPES)).toContain('get_private_notes');
    // mcp:private alone is enough (any-of), and shows nothing that needs mcp:tools.
    // (admin_reset_stats is listed to everyone: listing 'always'.)
    expect(await names(['mcp:private'])).toEqual(['admin_reset_stats', 'get_private_notes', 'whoami']);
  });

  it('denies a call without mcp:private with InsufficientScope and the scope to ask for', async () => {
    const r = await ex.call('tools/call', { name: 'get_private_notes', arguments: {} }, { principal: principal(BASIC_SCOPES) });
    expect(r.status).toBe(403);
    expect(r.result).toBeUndefined();
    expect(r.error).toEqual({ code: -32010, message: 'Insufficient scope for this operation', data: { requiredScopes: ['mcp:private'] } });
  });

  it('returns three notes by default, for the caller only', async () => {
    const r = await callTool(ex, 'get_private_notes', {}, { principal: principal(['mcp:private'], 'dave') });
    expect(r.isError).toBeUndefined();
    expect(r.content).toEqual([1, 2, 3].map((i) => ({ type: 'text', text: `Note ${i} for dave` })));
  });

  it('honours limit between 1 and 10 and rejects anything else', async () => {
    expect((await callTool(ex, 'get_private_notes', { limit: 10 })).content).toHaveLength(10);
    expect((await callTool(ex, 'get_private_notes', { limit: 1 })).content).toHaveLength(1);
    for (const limit of [0, 11, 2.5, '3']) {
      const r = await callTool(ex, 'get_private_notes', { limit });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^Invalid arguments for tool get_private_notes: limit: /);
    }
  });
});
