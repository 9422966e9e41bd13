import { afterEach, describe, expect, it } from '@jest/globals';
import { Quotas } from '../../src/http/quotas.js';
import { SessionStore } from '../../src/http/session-store.js';

let store: SessionStore | undefined;
afterEach(() => { store?.close(); store = undefined; });

describe('SessionStore', () => {
  it('mints 43-character base64url ids of 32 random bytes', () => {
    store = new SessionStore();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { id } = store.create('owner');
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(id!, 'base64url')).toHaveLength(32);
      ids.add(id!);
    }
    expect(ids.size).toBe(200);
  });

  it('binds a session to its owner', () => {
    store = new SessionStore();
    const s = store.create('alice');
    expect(store.get(s.id!, 'alice')).toBe(s);
    expect(store.get(s.id!, 'bob')).toBeUndefined();
    expect(store.get(s.id!, 'alice')).toBe(s);
    expect(store.get('unknown', 'alice')).toBeUndefined();
  });

  it('expires idle sessions, and each use extends the idle window', () => {
    let now = 1_000_000;
    const ended: string[] = [];
    store = new SessionStore({ idleTimeoutMs: 1000, now: () => now });
    const s = store.create('alice');
    store.onEnd(s.id!, () => ended.push(s.id!));
    now += 900;
    expect(store.get(s.id!, 'alice')).toBe(s);
    now += 900;
    expect(store.get(s.id!, 'alice')).toBe(s);
    now += 1001;
    expect(store.get(s.id!, 'alice')).toBeUndefined();
    expect(ended).toEqual([s.id]);
    expect(store.size).toBe(0);
  });

  it('deletes: the id is gone afterwards and end listeners fire once', () => {
    store = new SessionStore();
    const ended: string[] = [];
    const s = store.create('alice');
    store.onEnd(s.id!, () => ended.push(s.id!));
    expect(store.delete(s.id!)).toBe(true);
    expect(store.delete(s.id!)).toBe(false);
    expect(store.get(s.id!, 'alice')).toBeUndefined();
    expect(ended).toEqual([s.id]);
  });

  it('at the per-principal quota, ends that principal\'s least recently used session', () => {
    let now = 0;
    store = new SessionStore({ maxSessionsPerOwner: 2, now: () => now });
    const a = store.create('o'); now++;
    const b = store.create('o'); now++;
    const other = store.create('p'); now++;
    store.get(a.id!, 'o'); now++;
    const c = store.create('o');
    expect(store.size).toBe(3);
    expect(store.countOf('o')).toBe(2);
    expect(store.get(b.id!, 'o')).toBeUndefined();
    expect(store.get(a.id!, 'o')).toBe(a);
    expect(store.get(c.id!, 'o')).toBe(c);
    expect(store.get(other.id!, 'p')).toBe(other);
  });

  it('never evicts another principal\'s session: a full server refuses new sessions (503, named limit)', () => {
    let now = 0;
    store = new SessionStore({ maxSessions: 3, maxSessionsPerOwner: 2, idleTimeoutMs: 1000, now: () => now });
    const victim = store.create('victim');
    // A handful of principals fill the server...
    store.create('m1'); store.create('m2');
    for (const who of ['m3', 'm4', 'm1']) {
      let err: unknown;
      try { store.create(who); } catch (e) { err = e; }
      // m1 is under its own quota, so it is refused too: the server is full.
      expect(err).toMatchObject({ code: 'ERR_QUOTA_EXCEEDED', limit: 'MCP_MAX_SESSIONS', max: 3, httpStatus: 503 });
    }
    // ...and the victim's live session is still there.
    expect(store.get(victim.id!, 'victim')).toBe(victim);
    // Once sessions expire, the room is swept and given out again.
    now += 1001;
    expect(() => store!.create('m3')).not.toThrow();
  });

  it('session subscriptions are bounded by the quota', () => {
    store = new SessionStore({ quotas: new Quotas({ subscriptionsPerSession: 2 }) });
    const s = store.create('o');
    s.subscriptions.add('a'); s.subscriptions.add('b'); s.subscriptions.add('a');
    expect(() => s.subscriptions.add('c')).toThrow(/MCP_MAX_SUBSCRIPTIONS_PER_SESSION/);
    expect(s.subscriptions.size).toBe(2);
  });

  it('an end listener can be removed, and listeners for other sessions do not fire', () => {
    store = new SessionStore();
    const fired: string[] = [];
    const a = store.create('o');
    const b = store.create('o');
    const stop = store.onEnd(a.id!, () => fired.push('a1'));
    store.onEnd(a.id!, () => fired.push('a2'));
    store.onEnd(b.id!, () => fired.push('b'));
    stop();
    store.delete(a.id!);
    expect(fired).toEqual(['a2']);
  });

  it('close() ends every session', () => {
    store = new SessionStore();
    const ended: string[] = [];
    for (const o of ['a', 'b']) { const s = store.create(o); store.onEnd(s.id!, () => ended.push(s.id!)); }
    store.close();
    expect(ended).toHaveLength(2);
    expect(store.size).toBe(0);
  });
});
