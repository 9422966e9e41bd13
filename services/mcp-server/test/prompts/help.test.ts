import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { examples, principal, type Examples } from '../tools/support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

const helpText = async (scopes: readonly string[], subject = 'alice') => {
  const r = await ex.call('prompts/get', { name: 'help' }, { principal: principal(scopes, subject) });
  expect(r.error).toBeUndefined();
  expect(r.result!.description).toBe('How to use this MCP server');
  const messages = r.result!.messages as { role: string; content: { type: string; text: string } }[];
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ role: 'user', content: { type: 'text' } });
  return messages[0].content.text;
};

describe('help', () => {
  it('names the catalogue and the caller with their scopes', async () => {
    const text = await helpText(['mcp:tools', 'mcp:admin'], 'erin');
    expect(text).toMatch(/get_weather, get_time, whoami, get_called_tools/);
    expect(text).toMatch(/info:\/\/server, weather:\/\/\{location\}/);
    expect(text).toContain('I am signed in as erin with scopes: mcp:tools, mcp:admin.');
  });

  it('is open to every principal, even one without scopes, and says "none"', async () => {
    const list = await ex.call('prompts/list', {}, { principal: principal([]) });
    expect((list.result!.prompts as { name: string }[]).map((p) => p.name)).toEqual(['help']);
    expect(await helpText([])).toContain('with scopes: none.');
  });

  it('takes no arguments and ignores extra ones', async () => {
    const list = await ex.call('prompts/list');
    const p = (list.result!.prompts as { name: string; arguments?: unknown[] }[]).find((x) => x.name === 'help')!;
    expect(p.arguments ?? []).toEqual([]);
    const r = await ex.call('prompts/get', { name: 'help', arguments: { unexpected: 'x' } });
    expect(r.error).toBeUndefined();
  });
});
