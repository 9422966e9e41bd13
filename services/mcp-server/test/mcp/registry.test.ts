import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { Registry, type Kind } from '../../src/mcp/registry.js';

const tool = (name: string, scopes?: string[]) => ({ name, description: `tool ${name}`, scopes, handler: () => name });

describe('Registry', () => {
  it('lists entries sorted by name regardless of registration order', () => {
    const r = new Registry();
    for (const n of ['zeta', 'Alpha', 'beta', 'alpha', '_x', '9']) r.tool(tool(n));
    expect(r.all('tool').map((e) => e.name)).toEqual(['9', 'Alpha', '_x', 'alpha', 'beta', 'zeta']);
    r.resource({ uri: 'b://2', name: 'b', read: () => '' }).resource({ uri: 'a://1', name: 'a', read: () => '' });
    expect(r.all('resource').map((e) => e.name)).toEqual(['a://1', 'b://2']);
  });

  it('throws on a duplicate name, per kind, and keeps the first', () => {
    const r = new Registry().tool(tool('same'));
    expect(() => r.tool(tool('same'))).toThrow(/Duplicate tool "same"/);
    expect(r.all('tool')).toHaveLength(1);
    // The same name is fine for another kind.
    expect(() => r.prompt({ name: 'same', handler: () => 'x' })).not.toThrow();
  });

  it.each([
    ['has space', 'has_space'],
    ['slash/name', 'slash_name'],
    ['émoji✓', '_moji_'],
  ])('rejects the invalid name %j with a hint', (bad, hint) => {
    expect(() => new Registry().tool(tool(bad))).toThrow(new RegExp(`Invalid tool name .*did you mean "${hint}"`));
  });

  it('rejects empty, over-long and non-string names', () => {
    expect(() => new Registry().tool(tool(''))).toThrow(/Invalid tool name ""/);
    expect(() => new Registry().tool(tool('a'.repeat(129)))).toThrow(/Invalid tool name/);
    expect(() => new Registry().tool(tool('a'.repeat(128)))).not.toThrow();
    expect(() => new Registry().prompt({ name: 42 as unknown as string, handler: () => '' })).toThrow(/Invalid prompt name 42/);
  });

  it('rejects bad scopes, a missing handler and a relative resource URI', () => {
    expect(() => new Registry().tool(tool('t', ['has space']))).toThrow(/scopes must be/);
    expect(() => new Registry().tool(tool('t', ['']))).toThrow(/scopes must be/);
    expect(() => new Registry().tool({ name: 't', description: '', handler: undefined as never })).toThrow(/needs a handler/);
    expect(() => new Registry().resource({ uri: 'relative/path', name: 'x', read: () => '' })).toThrow(/absolute URI/);
  });

  it('filters views by scope with the any-of rule', () => {
    const r = new Registry().tool(tool('open')).tool(tool('read', ['mcp:read', 'mcp:admin'])).tool(tool('admin', ['mcp:admin']));
    expect(r.visible('tool', []).map((e) => e.name)).toEqual(['open']);
    expect(r.visible('tool', ['mcp:read']).map((e) => e.name)).toEqual(['open', 'read']);
    expect(r.visible('tool', ['mcp:admin']).map((e) => e.name)).toEqual(['admin', 'open', 'read']);
    expect(r.visible('tool', ['other', 'mcp:read']).map((e) => e.name)).toEqual(['open', 'read']);
    expect(r.hasScoped('tool')).toBe(true);
    expect(r.hasScoped('prompt')).toBe(false);
    expect(r.declaredScopes()).toEqual(['mcp:admin', 'mcp:read']);
  });

  it("lists a 'listing: always' entry to everyone; 'permitted' (the default) only to holders", () => {
    const r = new Registry()
      .tool({ ...tool('admin', ['mcp:admin']), listing: 'always' })
      .tool(tool('private', ['mcp:private']))
      .prompt({ name: 'p', scopes: ['mcp:admin'], listing: 'always', handler: () => '' });
    expect(r.visible('tool', ['mcp:tools']).map((e) => e.name)).toEqual(['admin']);
    expect(r.visible('tool', ['mcp:private']).map((e) => e.name)).toEqual(['admin', 'private']);
    expect(r.visible('prompt', []).map((e) => e.name)).toEqual(['p']);
    // The scope requirement itself is unchanged: listing is about visibility only.
    expect(r.get('tool', 'admin')?.scopes).toEqual(['mcp:admin']);
    // A list made only of always-listed entries is the same for every caller.
    expect(r.hasScoped('prompt')).toBe(false);
    expect(r.hasScoped('tool')).toBe(true);
    expect(() => new Registry().tool({ ...tool('t', ['s']), listing: 'sometimes' as never })).toThrow(/Tool "t": listing must be 'permitted' or 'always'/);
  });

  it('memoizes a view per scope set (order-insensitive) and invalidates it on change', () => {
    const r = new Registry().tool(tool('a', ['s1'])).tool(tool('b', ['s2']));
    const v1 = r.visible('tool', ['s1', 's2']);
    expect(r.visible('tool', ['s2', 's1'])).toBe(v1);
    expect(Object.isFrozen(v1)).toBe(true);
    const version = r.version;
    r.tool(tool('c', ['s1']));
    expect(r.version).toBe(version + 1);
    const v2 = r.visible('tool', ['s1', 's2']);
    expect(v2).not.toBe(v1);
    expect(v2.map((e) => e.name)).toEqual(['a', 'b', 'c']);
    expect(v1.map((e) => e.name)).toEqual(['a', 'b']);
    expect(r.remove('tool', 'a')).toBe(true);
    expect(r.visible('tool', ['s1', 's2']).map((e) => e.name)).toEqual(['b', 'c']);
  });

  it('emits change events with the kind, and stops after unsubscribe', () => {
    const r = new Registry();
    const seen: Kind[] = [];
    const off = r.onChange((k) => seen.push(k));
    r.tool(tool('t'));
    r.prompt({ name: 'p', handler: () => 'x' });
    r.resource({ uri: 'x://r', name: 'r', read: () => '' });
    r.template({ uriTemplate: 'x://{id}', name: 't', read: () => '' });
    expect(r.remove('tool', 'missing')).toBe(false);
    r.remove('tool', 't');
    off();
    r.tool(tool('u'));
    expect(seen).toEqual(['tool', 'prompt', 'resource', 'template', 'tool']);
  });

  it('builds prompt descriptors from zod arguments', () => {
    const r = new Registry().prompt({
      name: 'p', description: 'd',
      arguments: z.object({ who: z.string().describe('Who'), tone: z.string().optional() }),
      handler: () => 'x',
    });
    expect(r.get('prompt', 'p')!.descriptor).toEqual({
      name: 'p', description: 'd',
      arguments: [{ name: 'who', required: true, description: 'Who' }, { name: 'tone', required: false }],
    });
  });
});
