import { describe, expect, it } from '@jest/globals';
import { PendingRequests } from '../../src/http/pending-requests.js';

const never = () => new AbortController().signal;

describe('PendingRequests', () => {
  it('settles with the client result, only for the owning principal', async () => {
    const p = new PendingRequests();
    const { id, result } = p.open('alice', never());
    expect(id).toMatch(/^srv-[A-Za-z0-9_-]{16}$/);
    expect(p.settle('bob', { jsonrpc: '2.0', id, result: { stolen: true } })).toBe(false);
    expect(p.settle('alice', { jsonrpc: '2.0', id: 'srv-unknown', result: {} })).toBe(false);
    expect(p.settle('alice', { jsonrpc: '2.0', id, result: { ok: 1 } })).toBe(true);
    await expect(result).resolves.toEqual({ ok: 1 });
    expect(p.settle('alice', { jsonrpc: '2.0', id, result: { again: 1 } })).toBe(false);
  });

  it('rejects with the client error', async () => {
    const p = new PendingRequests();
    const { id, result } = p.open('alice', never());
    p.settle('alice', { jsonrpc: '2.0', id, error: { code: -1, message: 'user declined' } });
    await expect(result).rejects.toThrow(/client answered with an error: user declined/);
  });

  it('rejects on abort and forgets the request', async () => {
    const p = new PendingRequests();
    const ac = new AbortController();
    const { id, result } = p.open('alice', ac.signal);
    ac.abort();
    await expect(result).rejects.toThrow(/cancelled/);
    expect(p.settle('alice', { jsonrpc: '2.0', id, result: {} })).toBe(false);
  });

  it('rejects on timeout', async () => {
    const p = new PendingRequests(20);
    const { id, result } = p.open('alice', never());
    await expect(result).rejects.toThrow(/did not answer in time/);
    expect(p.settle('alice', { jsonrpc: '2.0', id, result: {} })).toBe(false);
  });

  it('uses distinct ids', () => {
    const p = new PendingRequests();
    const ids = new Set(Array.from({ length: 100 }, () => { const o = p.open('a', never()); o.result.catch(() => {}); return o.id; }));
    expect(ids.size).toBe(100);
  });
});
