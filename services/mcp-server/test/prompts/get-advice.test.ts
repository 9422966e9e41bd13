import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { examples, principal, type Examples } from '../tools/support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

const get = (args: Record<string, unknown>) => ex.call('prompts/get', { name: 'get_advice', arguments: args });
const complete = (name: string, value: string) =>
  ex.call('completion/complete', { ref: { type: 'ref/prompt', name: 'get_advice' }, argument: { name, value } });

describe('get_advice', () => {
  it('is listed with its two arguments, topic required', async () => {
    const r = await ex.call('prompts/list');
    const p = (r.result!.prompts as { name: string; arguments?: unknown[] }[]).find((x) => x.name === 'get_advice');
    expect(p).toMatchObject({ name: 'get_advice', title: 'Get advice' });
    expect(p!.arguments).toEqual([
      expect.objectContaining({ name: 'topic', required: true }),
      expect.objectContaining({ name: 'actionable', required: false }),
    ]);
  });

  it('asks for numbered steps when actionable is "true"', async () => {
    const r = await get({ topic: 'security', actionable: 'true' });
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ description: 'Advice on security' });
    const messages = r.result!.messages as { role: string; content: { type: string; text: string } }[];
    expect(messages).toHaveLength(1);
    expect(messages[0].role).toBe('user');
    expect(messages[0].content.type).toBe('text');
    expect(messages[0].content.text).toMatch(/^Give me practical advice about security\. /);
    expect(messages[0].content.text).toMatch(/numbered list of three to five concrete steps/);
  });

  it.each([['"false"', { actionable: 'false' }], ['absent', {}]])('keeps it to a paragraph when actionable is %s', async (_what, extra) => {
    const r = await get({ topic: 'writing', ...extra });
    const text = (r.result!.messages as { content: { text: string } }[])[0].content.text;
    expect(text).toMatch(/short, encouraging paragraph/);
    expect(text).not.toMatch(/numbered list/);
  });

  it.each([
    ['a missing topic', {}],
    ['an empty topic', { topic: '  ' }],
    ['a topic over 200 characters', { topic: 't'.repeat(201) }],
    ['actionable other than "true"/"false"', { topic: 'x', actionable: 'yes' }],
  ])('rejects %s with -32602', async (_what, args) => {
    const r = await get(args);
    expect(r.result).toBeUndefined();
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toMatch(/^Invalid arguments for prompt get_advice: /);
  });

  it('needs mcp:prompts to be listed or fetched', async () => {
    const list = await ex.call('prompts/list', {}, { principal: principal(['mcp:tools']) });
    expect((list.result!.prompts as { name: string }[]).map((p) => p.name)).toEqual(['help']);
    const r = await ex.call('prompts/get', { name: 'get_advice', arguments: { topic: 'x' } }, { principal: principal(['mcp:tools']) });
    expect(r.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:prompts'] } });
  });

  it('completes the topic by case-insensitive prefix', async () => {
    expect((await complete('topic', '')).result!.completion).toEqual({ values: ['career', 'health', 'learning', 'productivity', 'security', 'writing'], total: 6, hasMore: false });
    expect((await complete('topic', 'P')).result!.completion).toEqual({ values: ['productivity'], total: 1, hasMore: false });
    expect((await complete('topic', 'zzz')).result!.completion).toEqual({ values: [], total: 0, hasMore: false });
  });

  it('completes actionable with true/false', async () => {
    expect((await complete('actionable', '')).result!.completion).toMatchObject({ values: ['true', 'false'] });
    expect((await complete('actionable', 'f')).result!.completion).toMatchObject({ values: ['false'] });
  });

  it('completes nothing for an argument it does not know', async () => {
    expect((await complete('mood', 'h')).result!.completion).toEqual({ values: [], total: 0, hasMore: false });
  });
});
