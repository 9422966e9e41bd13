/** ReplicaRelay: two replicas (PendingRequests + InFlightRequests each) over one shared store. */
import { describe, expect, it } from '@jest/globals';
import { PendingRequests } from '../../src/http/pending-requests.js';
import { ReplicaRelay } from '../../src/http/replica-relay.js';
import { InFlightRequests } from '../../src/http/serve.js';
import { MemoryStore } from '../../src/state/memory-store.js';

function replica(store: MemoryStore) {
  const pending = new PendingRequests();
  const inFlight = new InFlightRequests();
  return { pending, inFlight, relay: new ReplicaRelay(store, pending, inFlight) };
}

describe('ReplicaRelay', () => {
  it('a reply received by one replica settles the request another replica awaits, for the same principal only', async () => {
    const store = new MemoryStore({ sweepMs: 0 });
    const a = replica(store);
    const b = replica(store);
    await Promise.all([a.relay.ready, b.relay.ready]);
    const { id, result } = a.pending.open('alice', new AbortController().signal);
    expect(await b.relay.reply('bob', { jsonrpc: '2.0', id, result: { stolen: true } })).toBe(true);
    expect(await b.relay.reply('alice', { jsonrpc: '2.0', id, result: { answer: 'yes' } })).toBe(true);
    await expect(result).resolves.toEqual({ answer: 'yes' });
    expect(await b.relay.reply('alice', { jsonrpc: '2.0', id: 'srv-unknown', result: {} })).toBe(false);
    expect(await b.relay.reply('alice', { jsonrpc: '2.0', id: `srv-${b.pending.replica}.${'A'.repeat(16)}`, result: {} })).toBe(false);
    await Promise.all([a.relay.close(), b.relay.close(), store.close()]);
  });

  it('a cancellation reaches the replica that runs the request', async () => {
    const store = new MemoryStore({ sweepMs: 0 });
    const a = replica(store);
    const b = replica(store);
    await Promise.all([a.relay.ready, b.relay.ready]);
    const ac = new AbortController();
    a.inFlight.add('alice', 'sess', 7, ac);
    await b.relay.cancel('mallory', 'sess', 7);
    await new Promise((r) => setImmediate(r));
    expect(ac.signal.aborted).toBe(false);
    await b.relay.cancel('alice', 'sess', 7);
    await new Promise((r) => setImmediate(r));
    expect(ac.signal.aborted).toBe(true);
    await Promise.all([a.relay.close(), b.relay.close(), store.close()]);
  });
});
