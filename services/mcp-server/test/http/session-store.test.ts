import { afterEach, describe, expect, it } from '@jest/globals';
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

  it('evicts the least recently used session when full', () => {
    let now = 0;
    store = new SessionStore({ maxSessions: 2, now: () => now });
    const a = store.create('o'); now++;
    const b = store.create('o'); now++;
    store.get(a.id!, 'o'); now++;
    const c = store.create('o');
    expect(store.size).toBe(2);
    expect(store.get(b.id!, 'o')).toBeUndefined();
    expect(store.get(a.id!, 'o')).toBe(a);
    expect(store.get(c.id!, 'o')).toBe(c);
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
