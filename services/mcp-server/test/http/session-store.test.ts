/**
 * SessionStore on the StateStore: on a MemoryStore with an injected clock, and two stores
 * sharing one MemoryStore standing in for two replicas sharing Redis (the real Redis runs
 * in session-store-redis.test.ts and in test:cluster).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Quotas } from '../../src/http/quotas.js';
import { SessionStore } from '../../src/http/session-store.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { StoreUnavailableError } from '../../src/state/errors.js';
import type { StateStore } from '../../src/state/store.js';

const open: SessionStore[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close())); });
const make = (o: ConstructorParameters<typeof SessionStore>[0] = {}) => { const s = new SessionStore(o); open.push(s); return s; };
const tick = () => new Promise((r) => setImmediate(r));

describe('SessionStore', () => {
  it('mints 43-character base64url ids of 32 random bytes', async () => {
    const store = make();
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { id } = await store.create(`owner${i}`);
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(id!, 'base64url')).toHaveLength(32);
      ids.add(id!);
    }
    expect(ids.size).toBe(50);
  });

  it('binds a session to its owner; malformed ids are simply unknown', async () => {
    const store = make();
    const s = await store.create('alice');
    expect((await store.get(s.id!, 'alice'))?.id).toBe(s.id);
    expect(await store.get(s.id!, 'bob')).toBeUndefined();
    expect(await store.get('unknown', 'alice')).toBeUndefined();
    expect(await store.get('x'.repeat(10_000), 'alice')).toBeUndefined();
    expect(await store.delete(s.id!, 'bob')).toBe(false);
    expect((await store.get(s.id!, 'alice'))?.id).toBe(s.id);
  });

  it('expires idle sessions, and each use extends the idle window', async () => {
    let now = 1_000_000;
    const store = make({ idleTimeoutMs: 1000, now: () => now });
    const s = await store.create('alice');
    now += 900;
    expect(await store.get(s.id!, 'alice')).toBeDefined();
    now += 900;
    expect(await store.get(s.id!, 'alice')).toBeDefined();
    now += 1300;
    expect(await store.get(s.id!, 'alice')).toBeUndefined();
  });

  it('deletes: the id is gone on every replica, and their watchers hear it once', async () => {
    const shared = new MemoryStore({ sweepMs: 0 });
    const a = make({ store: shared });
    const b = make({ store: shared });
    const s = await a.create('alice');
    const ended: string[] = [];
    b.watch(s.id!, { onEnd: () => ended.push('b'), onSubscriptions() {} });
    a.watch(s.id!, { onEnd: () => ended.push('a'), onSubscriptions() {} });
    expect(await b.delete(s.id!, 'alice')).toBe(true);
    expect(await a.delete(s.id!, 'alice')).toBe(false);
    await tick();
    expect(await a.get(s.id!, 'alice')).toBeUndefined();
    expect(ended.sort()).toEqual(['a', 'b']);
    await shared.close();
  });

  it('what one replica changes, the next request on another replica sees; subscriptions reach the watchers', async () => {
    const shared = new MemoryStore({ sweepMs: 0 });
    const a = make({ store: shared });
    const b = make({ store: shared });
    const s = await a.create('alice');
    s.protocolVersion = '2025-06-18';
    s.capabilities = { elicitation: {} };
    s.clientInfo = { name: 'c', version: '1' };
    s.logLevel = 'warning';
    s.initialized = true;
    await a.save(s);
    const seen: string[][] = [];
    a.watch(s.id!, { onEnd() {}, onSubscriptions: (u) => seen.push([...u]) });
    const onB = (await b.get(s.id!, 'alice'))!;
    expect(onB).toMatchObject({ protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' }, logLevel: 'warning', initialized: true });
    onB.subscriptions.add('file:///a');
    await b.save(onB);
    await tick();
    expect(seen).toEqual([['file:///a']]);
    expect([...(await a.get(s.id!, 'alice'))!.subscriptions]).toEqual(['file:///a']);
    await shared.close();
  });

  it('two requests that change one session at the same time on two replicas both keep their change', async () => {
    const shared = new MemoryStore({ sweepMs: 0 });
    const a = make({ store: shared });
    const b = make({ store: shared });
    const s = await a.create('alice');
    s.subscriptions.add('file:///kept');
    await a.save(s);
    const onA = (await a.get(s.id!, 'alice'))!;
    const onB = (await b.get(s.id!, 'alice'))!;
    onA.subscriptions.add('file:///a');
    onA.subscriptions.delete('file:///kept');
    onB.subscriptions.add('file:///b');
    onB.logLevel = 'error';
    await a.save(onA);
    await b.save(onB);
    const after = (await a.get(s.id!, 'alice'))!;
    expect([...after.subscriptions].sort()).toEqual(['file:///a', 'file:///b']);
    expect(after.logLevel).toBe('error');
    await shared.close();
  });

  it('a request that finishes after its session was deleted does not bring it back', async () => {
    const store = make();
    const s = await store.create('alice');
    const inFlight = (await store.get(s.id!, 'alice'))!;
    await store.delete(s.id!, 'alice');
    inFlight.logLevel = 'error';
    await store.save(inFlight);
    expect(await store.get(s.id!, 'alice')).toBeUndefined();
  });

  it('at the per-principal quota, ends that principal\'s least recently used session', async () => {
    let now = 1_000_000;
    const store = make({ maxSessionsPerOwner: 2, idleTimeoutMs: 60_000, now: () => now });
    const a = await store.create('o'); now += 20_000;
    const b = await store.create('o'); now += 20_000;
    const other = await store.create('p'); now += 20_000;
    await store.get(a.id!, 'o'); now += 1;
    const c = await store.create('o');
    expect(await store.countOf('o')).toBe(2);
    expect(await store.get(b.id!, 'o')).toBeUndefined();
    expect(await store.get(a.id!, 'o')).toBeDefined();
    expect(await store.get(c.id!, 'o')).toBeDefined();
    expect(await store.get(other.id!, 'p')).toBeDefined();
  });

  it('never evicts another principal\'s session: a full server refuses new sessions (503, named limit)', async () => {
    let now = 1_000_000;
    const store = make({ maxSessions: 3, maxSessionsPerOwner: 2, idleTimeoutMs: 1000, now: () => now });
    const victim = await store.create('victim');
    await store.create('m1'); await store.create('m2');
    for (const who of ['m3', 'm4', 'm1']) {
      await expect(store.create(who)).rejects.toMatchObject({ code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_SESSIONS', max: 3, httpStatus: 503 });
    }
    expect(await store.get(victim.id!, 'victim')).toBeDefined();
    // A deleted session gives its room back at once...
    await store.delete(victim.id!, 'victim');
    await expect(store.create('m3')).resolves.toBeDefined();
    // ...and expired ones within two idle periods (the count is kept per idle-long window).
    await expect(store.create('m4')).rejects.toMatchObject({ limit: 'MCP_MAX_SESSIONS' });
    now += 2000;
    await expect(store.create('m4')).resolves.toBeDefined();
  });

  it('session subscriptions are bounded by the quota, also when read back', async () => {
    const store = make({ quotas: new Quotas({ subscriptionsPerSession: 2 }) });
    const s = await store.create('o');
    s.subscriptions.add('a'); s.subscriptions.add('b'); s.subscriptions.add('a');
    expect(() => s.subscriptions.add('c')).toThrow(/MCP_MAX_SUBSCRIPTIONS_PER_SESSION/);
    await store.save(s);
    const again = (await store.get(s.id!, 'o'))!;
    expect([...again.subscriptions]).toEqual(['a', 'b']);
    expect(() => again.subscriptions.add('c')).toThrow(/MCP_MAX_SUBSCRIPTIONS_PER_SESSION/);
  });

  it('close() ends this replica\'s watchers but leaves the sessions to the others', async () => {
    const shared = new MemoryStore({ sweepMs: 0 });
    const a = new SessionStore({ store: shared });
    const b = make({ store: shared });
    const s = await a.create('alice');
    let ended = 0;
    a.watch(s.id!, { onEnd: () => ended++, onSubscriptions() {} });
    await a.close();
    expect(ended).toBe(1);
    expect(await b.get(s.id!, 'alice')).toBeDefined();
    await shared.close();
  });

  it('fails closed when the store cannot answer', async () => {
    const down: StateStore = Object.assign(new MemoryStore({ sweepMs: 0 }), {
      get: () => Promise.reject(new StoreUnavailableError()),
      set: () => Promise.reject(new StoreUnavailableError()),
      increment: () => Promise.reject(new StoreUnavailableError()),
    });
    const store = make({ store: down });
    await expect(store.get('A'.repeat(43), 'alice')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.create('alice')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
