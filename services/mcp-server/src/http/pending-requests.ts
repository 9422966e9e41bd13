/**
 * Server-to-client requests of the 2025 revisions awaiting the client's reply, which arrives
 * as a separate POST. Replies are matched by id and accepted only from the same principal.
 * Ids name the replica that is waiting (`srv-<replica>.<random>`), so a reply that another
 * replica received can be relayed here (replica-relay.ts).
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject, JsonRpcResponse } from '../mcp/protocol.js';
import { Quotas } from './quotas.js';

interface Pending { owner: string; resolve(v: JsonObject): void; reject(e: Error): void; timer: NodeJS.Timeout; release(): void }

/** The replica tag in a server-to-client request id, or undefined when the id is not one of ours. */
export function replicaOf(id: unknown): string | undefined {
  const m = typeof id === 'string' ? /^srv-([A-Za-z0-9_-]{1,16})\.[A-Za-z0-9_-]{16}$/.exec(id) : null;
  return m?.[1];
}

/** Tracks outstanding server-to-client requests. */
export class PendingRequests {
  private readonly pending = new Map<string, Pending>();
  /** This replica's tag, the part of each id that says where the request waits. */
  readonly replica: string;
  constructor(private readonly timeoutMs = 300_000, private readonly quotas = new Quotas(), replica = randomBytes(6).toString('base64url')) {
    this.replica = replica;
  }

  /**
   * Register a request; returns its id and the promise of the client's result. Throws
   * QuotaExceededError when the principal (or the server) has too many awaiting an answer.
   */
  open(owner: string, signal: AbortSignal): { id: string; result: Promise<JsonObject> } {
    const release = this.quotas.openPending(owner);
    const id = `srv-${this.replica}.${randomBytes(12).toString('base64url')}`;
    const result = new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new Error('The client did not answer in time')), this.timeoutMs);
      timer.unref();
      this.pending.set(id, { owner, resolve, reject, timer, release });
      // An already-cancelled request must not hold its slot until the timeout.
      if (signal.aborted) queueMicrotask(() => this.fail(id, new Error('The request was cancelled')));
      else signal.addEventListener('abort', () => this.fail(id, new Error('The request was cancelled')), { once: true });
    });
    return { id, result };
  }

  /** Deliver a client response; false when nothing matched (unknown id or other principal). */
  settle(owner: string, response: JsonRpcResponse): boolean {
    const key = String(response.id);
    const p = this.pending.get(key);
    if (!p || p.owner !== owner) return false;
    this.pending.delete(key);
    clearTimeout(p.timer);
    p.release();
    if ('result' in response) p.resolve(response.result);
    else p.reject(Object.assign(new Error(`The client answered with an error: ${response.error.message}`), { rpc: response.error }));
    return true;
  }

  private fail(id: string, e: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.release();
    p.reject(e);
  }
}
