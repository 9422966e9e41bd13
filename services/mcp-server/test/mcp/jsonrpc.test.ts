import { describe, expect, it } from '@jest/globals';
import { classify, MAX_DEPTH } from '../../src/mcp/jsonrpc.js';

describe('classify', () => {
  it.each([
    ['null', null],
    ['a string', 'x'],
    ['a number', 1],
    ['an array', [{ jsonrpc: '2.0', method: 'x' }]],
  ])('rejects %s as not an object with id null', (_l, v) => {
    expect(classify(v)).toEqual({ kind: 'invalid', id: null, reason: expect.stringMatching(/must be a JSON object/) });
  });

  it('rejects a wrong jsonrpc version but keeps a readable id', () => {
    expect(classify({ jsonrpc: '1.0', id: 7, method: 'x' })).toMatchObject({ kind: 'invalid', id: 7, reason: expect.stringMatching(/jsonrpc/) });
    expect(classify({ id: 'a', method: 'x' })).toMatchObject({ kind: 'invalid', id: 'a' });
  });

  it.each([
    ['a number', 5],
    ['empty', ''],
    ['too long', 'm'.repeat(257)],
    ['null', null],
  ])('rejects a method that is %s', (_l, method) => {
    expect(classify({ jsonrpc: '2.0', id: 1, method })).toMatchObject({ kind: 'invalid', id: 1, reason: expect.stringMatching(/method/) });
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'p'],
  ])('rejects params that are %s', (_l, params) => {
    expect(classify({ jsonrpc: '2.0', id: 1, method: 'm', params })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/params/) });
  });

  it('classifies a notification (no id member) and a request', () => {
    expect(classify({ jsonrpc: '2.0', method: 'notifications/initialized' }).kind).toBe('notification');
    expect(classify({ jsonrpc: '2.0', method: 'm', params: {} }).kind).toBe('notification');
    expect(classify({ jsonrpc: '2.0', id: 0, method: 'm' }).kind).toBe('request');
    expect(classify({ jsonrpc: '2.0', id: 'abc', method: 'm', params: { a: 1 } }).kind).toBe('request');
  });

  it.each([
    ['null', null],
    ['a boolean', true],
    ['an object', {}],
    ['a fraction', 1.5],
    ['NaN-like string too long', 'i'.repeat(257)],
  ])('rejects a request id that is %s', (_l, id) => {
    expect(classify({ jsonrpc: '2.0', id, method: 'm' })).toMatchObject({ kind: 'invalid', id: null, reason: expect.stringMatching(/id must be/) });
  });

  it('classifies responses with exactly one of result and error', () => {
    expect(classify({ jsonrpc: '2.0', id: 1, result: {} }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 's', error: { code: 1, message: 'm' } }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 1, result: null })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/result must be an object/) });
    expect(classify({ jsonrpc: '2.0', id: 1, result: {}, error: {} })).toMatchObject({ kind: 'invalid', id: 1 });
    expect(classify({ jsonrpc: '2.0', id: 1 })).toMatchObject({ kind: 'invalid', id: 1 });
    expect(classify({ jsonrpc: '2.0', result: {} })).toMatchObject({ kind: 'invalid', id: null });
  });

  it('rejects messages nested deeper than MAX_DEPTH, iteratively (no stack overflow)', () => {
    const nest = (n: number): unknown => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);
    // message (1) > params (2) > arguments (3) > n arrays
    const msg = (n: number) => ({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { arguments: { x: nest(n) } } });
    expect(classify(msg(MAX_DEPTH - 3)).kind).toBe('request');
    expect(classify(msg(MAX_DEPTH - 2))).toMatchObject({ kind: 'invalid', id: 9, reason: expect.stringMatching(/nests deeper/) });
    expect(classify(msg(1_000_000))).toMatchObject({ kind: 'invalid', id: 9 });
    expect(classify({ jsonrpc: '2.0', method: 'n', params: { wide: Array.from({ length: 100_000 }, () => ({ a: [1] })) } }).kind).toBe('notification');
  });
});
