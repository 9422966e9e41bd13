/**
 * Fan-out of change notifications to open streams: 2026-07-28 `subscriptions/listen`
 * streams and 2025-revision session GET streams. Each sink declares what it wants; the hub
 * never sends a type a sink did not opt in to (subscriptions §Opening a Stream).
 */
import type { Kind } from './registry.js';

/** The opt-in filter of one stream. */
export interface SinkFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  /** URIs for `notifications/resources/updated`; a live set for legacy sessions. */
  resourceSubscriptions?: ReadonlySet<string>;
}

/** A stream that receives notifications. */
export interface Sink {
  readonly filter: SinkFilter;
  send(method: string, params: Record<string, unknown>): void;
}

const LIST_METHOD: Record<Exclude<Kind, 'template'>, [keyof SinkFilter, string]> = {
  tool: ['toolsListChanged', 'notifications/tools/list_changed'],
  prompt: ['promptsListChanged', 'notifications/prompts/list_changed'],
  resource: ['resourcesListChanged', 'notifications/resources/list_changed'],
};

/** A change as it travels between replicas (JSON on the shared channel). */
export type HubEvent = { t: 'list'; kind: Kind } | { t: 'updated'; uri: string };

/** Holds open sinks and delivers to them. */
export class NotificationHub {
  private readonly sinks = new Set<Sink>();
  private readonly closers = new Set<() => void>();
  private closed = false;
  private relay?: (e: HubEvent) => Promise<void>;

  /**
   * Several replicas: send every change through `publish` (the shared store's channel, which
   * delivers it back to this replica too, through `deliver`) so that streams on every replica
   * hear it. If publishing fails (Redis down) the change still reaches this replica's streams.
   */
  relayThrough(publish: (e: HubEvent) => Promise<void>): void { this.relay = publish; }

  /** A change from the shared channel: deliver it to this replica's sinks. */
  deliver(e: HubEvent): void {
    if (e.t === 'list') this.localListChanged(e.kind);
    else this.localResourceUpdated(e.uri);
  }

  /** Number of open sinks. */
  get size(): number { return this.sinks.size; }

  /** Add a sink; `onClose` runs when the hub shuts down. Returns the remover. */
  add(sink: Sink, onClose?: () => void): () => void {
    if (this.closed) { onClose?.(); return () => {}; }
    this.sinks.add(sink);
    if (onClose) this.closers.add(onClose);
    return () => { this.sinks.delete(sink); if (onClose) this.closers.delete(onClose); };
  }

  /** A list changed: tell every sink that asked. Templates count as the resource list. */
  listChanged(kind: Kind): void {
    if (this.relay) this.relay({ t: 'list', kind }).catch(() => this.localListChanged(kind));
    else this.localListChanged(kind);
  }

  /** A resource's content changed. */
  resourceUpdated(uri: string): void {
    if (this.relay) this.relay({ t: 'updated', uri }).catch(() => this.localResourceUpdated(uri));
    else this.localResourceUpdated(uri);
  }

  private localListChanged(kind: Kind): void {
    const [flag, method] = LIST_METHOD[kind === 'template' ? 'resource' : kind];
    for (const s of this.sinks) if (s.filter[flag] === true) safeSend(s, method, {});
  }

  private localResourceUpdated(uri: string): void {
    for (const s of this.sinks) if (s.filter.resourceSubscriptions?.has(uri)) safeSend(s, 'notifications/resources/updated', { uri });
  }

  /** End every stream gracefully (shutdown). */
  close(): void {
    this.closed = true;
    for (const c of [...this.closers]) c();
    this.closers.clear();
    this.sinks.clear();
  }
}

function safeSend(s: Sink, method: string, params: Record<string, unknown>): void {
  try { s.send(method, params); } catch { /* a broken stream must not stop delivery to the others */ }
}
