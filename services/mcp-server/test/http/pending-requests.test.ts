import { describe, expect, it } from '@jest/globals';
import { PendingRequests, replicaOf } from '../../src/http/pending-requests.js';
import { Quotas } from '../../src/http/quotas.js';

const never = () => new AbortController().signal;

describe('PendingRequests', () => {
  it('settles with the client result, only for the owning principal', async () => {
    const p = new PendingRequests();
    const { id, result } = p.open('alice', never());
    expect(id).toMatch(new RegExp(`^srv-${p.replica}\\.[A-Za-z0-9_-]{16}$`));
    expect(replicaOf(id)).toBe(p.replica);
    expect(replicaOf('srv-unknown')).toBeUndefined();
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
    const p = new PendingRequests(undefined, new Quotas({ pendingRequestsPerPrincipal: 1000 }));
    const ids = new Set(Array.from({ length: 100 }, () => { const o = p.open('a', never()); o.result.catch(() => {}); return o.id; }));
    expect(ids.size).toBe(100);
  });

  it('holds at most the quota per principal and in total; answering or cancelling frees a slot', async () => {
    const quotas = new Quotas({ pendingRequestsPerPrincipal: 2, pendingRequests: 3 });
    const p = new PendingRequests(undefined, quotas);
    const a1 = p.open('alice', never());
    const cancel = new AbortController();
    const a2 = p.open('alice', cancel.signal);
    a2.result.catch(() => {});
    expect(() => p.open('alice', never())).toThrow(expect.objectContaining({ limit: 'MCP_MAX_PENDING_REQUESTS_PER_PRINCIPAL', max: 2, httpStatus: 429 }));
    p.open('bob', never()).result.catch(() => {});
    expect(() => p.open('carol', never())).toThrow(expect.objectContaining({ limit: 'MCP_MAX_PENDING_REQUESTS', max: 3, httpStatus: 503 }));
    expect(p.settle('alice', { jsonrpc: '2.0', id: a1.id, result: {} })).toBe(true);
    await a1.result;
    cancel.abort();
    await a2.result.catch(() => {});
    expect(quotas.usage('alice').pending).toBe(0);
    p.open('alice', never()).result.catch(() => {});
    expect(quotas.usage('alice').pending).toBe(1);
  });

  it('an already-cancelled request frees its slot at once instead of at the timeout', async () => {
    const quotas = new Quotas({ pendingRequestsPerPrincipal: 1 });
    const p = new PendingRequests(undefined, quotas);
    const c = new AbortController(); c.abort();
    await expect(p.open('alice', c.signal).result).rejects.toThrow(/cancelled/);
    expect(quotas.usage('alice').pending).toBe(0);
  });
});
