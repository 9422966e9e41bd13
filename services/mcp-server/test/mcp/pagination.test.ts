import { describe, expect, it } from '@jest/globals';
import { McpError } from '../../src/mcp/errors.js';
import { paginate } from '../../src/mcp/pagination.js';
import { createSealer } from '../../src/mcp/sealed.js';

const sealer = createSealer('s'.repeat(40));
const items = Array.from({ length: 7 }, (_, i) => i);

function rpcCodeOf(fn: () => unknown): number | undefined {
  try { fn(); return undefined; } catch (e) { return e instanceof McpError ? e.rpcCode : NaN; }
}

describe('paginate', () => {
  it('returns everything without a cursor when it fits', () => {
    expect(paginate(items, undefined, 'tool', 10, sealer)).toEqual({ items });
    expect(paginate(items, undefined, 'tool', 7, sealer)).toEqual({ items });
  });

  it('walks pages with opaque cursors until the end', () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, cursor, 'tool', 3, sealer);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it('answers a cursor past the end with an empty page', () => {
    const cursor = sealer.seal(100, 'cursor:tool');
    expect(paginate(items, cursor, 'tool', 3, sealer)).toEqual({ items: [] });
  });

  it.each([
    ['a forged string', 'not-a-cursor'],
    ['a number', 3],
    ['null', null],
    ['an object', { offset: 3 }],
    ['a sealed negative offset', sealer.seal(-1, 'cursor:tool')],
    ['a sealed fraction', sealer.seal(1.5, 'cursor:tool')],
    ['a sealed string', sealer.seal('3', 'cursor:tool')],
  ])('rejects %s with -32602', (_label, cursor) => {
    expect(rpcCodeOf(() => paginate(items, cursor, 'tool', 3, sealer))).toBe(-32602);
  });

  it('rejects a cursor minted for another list kind', () => {
    const next = paginate(items, undefined, 'prompt', 3, sealer).nextCursor!;
    expect(paginate(items, next, 'prompt', 3, sealer).items).toEqual([3, 4, 5]);
    expect(rpcCodeOf(() => paginate(items, next, 'tool', 3, sealer))).toBe(-32602);
  });
});
