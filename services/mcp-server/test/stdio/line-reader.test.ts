import { describe, expect, it } from '@jest/globals';
import { createLineReader } from '../../src/stdio/line-reader.js';

function reader(max: number) {
  const lines: string[] = [];
  let oversize = 0;
  const push = createLineReader(max, (l) => lines.push(l), () => { oversize++; });
  return { lines, get oversize() { return oversize; }, push: (s: string | Buffer) => push(typeof s === 'string' ? Buffer.from(s) : s) };
}

describe('createLineReader', () => {
  it('splits on newlines, across and within chunks, and strips a trailing CR', () => {
    const r = reader(100);
    r.push('{"a":1}\n{"b"');
    r.push(':2}\r\n\n   \n{"c":3}');
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}']);
    r.push('\n');
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(r.oversize).toBe(0);
  });

  it('reassembles a multi-byte UTF-8 character split between chunks', () => {
    const r = reader(100);
    const bytes = Buffer.from('"°C ✓ 東京"\n');
    for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
    expect(r.lines).toEqual(['"°C ✓ 東京"']);
  });

  it('accepts a line of exactly the cap and rejects one byte more', () => {
    const r = reader(10);
    r.push(`${'a'.repeat(10)}\n${'b'.repeat(11)}\nok\n`);
    expect(r.lines).toEqual(['a'.repeat(10), 'ok']);
    expect(r.oversize).toBe(1);
  });

  it('reports an oversized line once, discards it across many chunks, then serves the next line', () => {
    const r = reader(16);
    r.push('x'.repeat(10));
    r.push('x'.repeat(10)); // over the cap here, before any newline
    expect(r.oversize).toBe(1);
    for (let i = 0; i < 50; i++) r.push('y'.repeat(100));
    r.push('zz\n{"next":true}\n');
    expect(r.oversize).toBe(1);
    expect(r.lines).toEqual(['{"next":true}']);
  });

  it('handles an oversized line that ends in the same chunk, and two in a row', () => {
    const r = reader(8);
    r.push(`${'x'.repeat(9)}\n${'y'.repeat(30)}\nfine\n`);
    expect(r.oversize).toBe(2);
    expect(r.lines).toEqual(['fine']);
  });

  it('does not buffer an oversized line whole (4 MiB cap, 8 MiB line)', () => {
    const cap = 4 * 1024 * 1024;
    const r = reader(cap);
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 8; i++) r.push(mib);
    r.push('\n"after"\n');
    expect(r.oversize).toBe(1);
    expect(r.lines).toEqual(['"after"']);
  });
});
