/**
 * What a 2025-revision client sends to one replica but another must act on (several
 * replicas, REDIS_URL): its reply to a server-to-client request (elicitation, sampling,
 * roots) goes to the replica whose tool call awaits it — the request id names that replica —
 * and its `notifications/cancelled` reaches whichever replica runs the request (ids are the
 * client's, so every replica is told and the one holding it aborts).
 */
import { classify } from '../mcp/jsonrpc.js';
import type { JsonRpcResponse } from '../mcp/protocol.js';
import type { StateStore } from '../state/store.js';
import { replicaOf, type PendingRequests } from './pending-requests.js';
import type { InFlightRequests } from './serve.js';

const CANCEL = 'cancel';

/** The relay of one replica. */
export class ReplicaRelay {
  /** Resolves once this replica listens for replies and cancellations. */
  readonly ready: Promise<void>;
  private readonly stops: (() => Promise<void>)[] = [];

  constructor(private readonly store: StateStore, private readonly pending: PendingRequests, private readonly inFlight: InFlightRequests) {
    this.ready = Promise.all([
      store.subscribe(`reply:${pending.replica}`, (m) => this.onReply(m)),
      store.subscribe(CANCEL, (m) => this.onCancel(m)),
    ]).then((stops) => { this.stops.push(...stops); });
    this.ready.catch(() => {});
  }

  /**
   * Deliver a client's reply received here: settled locally when this replica asked, else sent
   * to the replica that did. False when the id is not a server-to-client request of ours.
   */
  async reply(owner: string, response: JsonRpcResponse): Promise<boolean> {
    if (this.pending.settle(owner, response)) return true;
    const target = replicaOf(response.id);
    if (target === undefined || target === this.pending.replica) return false;
    await this.ready;
    await this.store.publish(`reply:${target}`, JSON.stringify({ o: owner, r: response }));
    return true;
  }

  /** Cancel a request wherever it runs (2025 basic/utilities/cancellation). */
  async cancel(owner: string, sessionId: string | undefined, requestId: unknown): Promise<void> {
    if (this.inFlight.cancel(owner, sessionId, requestId)) return;
    await this.ready;
    await this.store.publish(CANCEL, JSON.stringify({ o: owner, s: sessionId ?? null, id: requestId }));
  }

  /** Stop listening. */
  async close(): Promise<void> {
    await this.ready.catch(() => {});
    await Promise.allSettled(this.stops.map((s) => s()));
  }

  private onReply(message: string): void {
    const m = parse(message);
    if (typeof m?.o !== 'string') return;
    // The owner check happens in settle: a reply is only ever accepted from the principal asked.
    const c = classify(m.r);
    if (c.kind === 'response') this.pending.settle(m.o, c.message);
  }

  private onCancel(message: string): void {
    const m = parse(message);
    if (typeof m?.o === 'string' && (m.s === null || typeof m.s === 'string')) this.inFlight.cancel(m.o, m.s ?? undefined, m.id);
  }
}

function parse(message: string): { o?: unknown; r?: unknown; s?: unknown; id?: unknown } | undefined {
  try { return JSON.parse(message) as { o?: unknown }; } catch { return undefined; }
}
