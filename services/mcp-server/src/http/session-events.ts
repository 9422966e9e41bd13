/**
 * What happens to a 2025 session on one replica and matters to the GET streams on all of
 * them: the session ended (DELETE, eviction) and its resources/subscribe set changed. Carried
 * on one StateStore channel; each replica hands an event to the streams it holds for that id.
 */
import type { StateStore } from '../state/store.js';

/** A GET stream's interest in its session. */
export interface SessionWatcher {
  /** The session ended: close the stream. */
  onEnd(): void;
  /** The session's subscribed URIs are now `uris`. */
  onSubscriptions(uris: readonly string[]): void;
}

const CHANNEL = 'sess';
/** Events larger than this are ignored (a subscription set is capped well below it). */
const MAX_EVENT = 1 << 20;

/** The session event channel of one replica. */
export class SessionEvents {
  /** Resolves once this replica listens (the first session operation waits for it). */
  readonly ready: Promise<void>;
  private readonly watchers = new Map<string, Set<SessionWatcher>>();
  private stop: (() => Promise<void>) | undefined;

  constructor(private readonly store: StateStore) {
    this.ready = store.subscribe(CHANNEL, (m) => this.deliver(m)).then((stop) => { this.stop = stop; });
    // Surfaced by the first operation that awaits `ready`; not an unhandled rejection now.
    this.ready.catch(() => {});
  }

  /** Watch session `id`; returns the remover. */
  watch(id: string, w: SessionWatcher): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(w);
    return () => { set.delete(w); if (set.size === 0 && this.watchers.get(id) === set) this.watchers.delete(id); };
  }

  /** Tell every replica that session `id` ended. */
  ended(id: string): Promise<void> {
    return this.store.publish(CHANNEL, JSON.stringify({ t: 'end', id }));
  }

  /** Tell every replica the session's subscriptions. */
  subscriptionsChanged(id: string, uris: readonly string[]): Promise<void> {
    return this.store.publish(CHANNEL, JSON.stringify({ t: 'subs', id, s: uris }));
  }

  /** End this replica's watchers (its GET streams close) and stop listening. */
  async close(): Promise<void> {
    const all = [...this.watchers.values()].flatMap((s) => [...s]);
    this.watchers.clear();
    for (const w of all) w.onEnd();
    await this.ready.catch(() => {});
    await this.stop?.();
  }

  private deliver(message: string): void {
    if (message.length > MAX_EVENT) return;
    let e: { t?: unknown; id?: unknown; s?: unknown };
    try { e = JSON.parse(message) as typeof e; } catch { return; }
    const set = typeof e.id === 'string' ? this.watchers.get(e.id) : undefined;
    if (!set) return;
    if (e.t === 'end') {
      this.watchers.delete(e.id as string);
      for (const w of set) w.onEnd();
    } else if (e.t === 'subs' && Array.isArray(e.s) && e.s.every((u) => typeof u === 'string')) {
      for (const w of set) w.onSubscriptions(e.s as string[]);
    }
  }
}
