import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createSealer, digest } from '../../src/mcp/sealed.js';

const SECRET = 'x'.repeat(32);
const sealer = createSealer(SECRET);

function flip(token: string, byteIndex: number, mask = 0x01): string {
  const raw = Buffer.from(token, 'base64url');
  raw[byteIndex] ^= mask;
  return raw.toString('base64url');
}

describe('createSealer', () => {
  it('round-trips JSON values', () => {
    for (const v of [0, 17, 'text', { a: [1, { b: null }] }, [true, false], null]) {
      expect(sealer.open(sealer.seal(v, 'p'), 'p')).toEqual(v);
    }
  });

  it('uses a fresh IV per seal', () => {
    expect(sealer.seal(1, 'p')).not.toBe(sealer.seal(1, 'p'));
  });

  it('rejects a short secret', () => {
    expect(() => createSealer('short')).toThrow(/at least 32 bytes/);
  });

  it('detects a flipped bit in the IV, the tag and the ciphertext', () => {
    const token = sealer.seal({ state: 'value', n: 1 }, 'p');
    const length = Buffer.from(token, 'base64url').length;
    // IV bytes 0-11, tag bytes 12-27, ciphertext from 28: every byte, every class.
    for (let i = 0; i < length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) expect(sealer.open(flip(token, i, mask), 'p')).toBeUndefined();
    }
  });

  it('detects truncation and extension', () => {
    const token = sealer.seal('hello world', 'p');
    const raw = Buffer.from(token, 'base64url');
    expect(sealer.open(raw.subarray(0, raw.length - 1).toString('base64url'), 'p')).toBeUndefined();
    expect(sealer.open(Buffer.concat([raw, Buffer.from([0])]).toString('base64url'), 'p')).toBeUndefined();
  });

  it('binds the purpose and the key', () => {
    const token = sealer.seal(5, 'cursor:tool');
    expect(sealer.open(token, 'cursor:prompt')).toBeUndefined();
    expect(sealer.open(token, 'mrtr')).toBeUndefined();
    expect(createSealer('y'.repeat(32)).open(token, 'cursor:tool')).toBeUndefined();
    expect(createSealer(SECRET).open(token, 'cursor:tool')).toBe(5);
  });

  it('never throws on garbage input', () => {
    for (const g of ['', 'short', '!!!!'.repeat(20), 'A'.repeat(40), 'A'.repeat(300_000), null, undefined, 42, {}, '=='.repeat(30)]) {
      expect(() => sealer.open(g as string, 'p')).not.toThrow();
      expect(sealer.open(g as string, 'p')).toBeUndefined();
    }
    fc.assert(fc.property(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 200 }), (s, bytes) => {
      expect(sealer.open(s, 'p')).toBeUndefined();
      expect(sealer.open(Buffer.from(bytes).toString('base64url'), 'p')).toBeUndefined();
    }), { numRuns: 200 });
  });
});

describe('digest', () => {
  it('is stable across key order and distinguishes values', () => {
    expect(digest({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(digest({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(digest({ a: 1 })).not.toBe(digest({ a: '1' }));
    expect(digest(['x', 1])).not.toBe(digest(['x', 2]));
    expect(digest(undefined)).toBe(digest(null));
    expect(digest({ a: 1 })).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
