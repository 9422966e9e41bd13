/**
 * `ctx.input` inside a task (tasks §Task Update Requests): a question parks the handler, the
 * task shows `input_required` with the outstanding `inputRequests`, and the answers arrive
 * through `tasks/update` (on any replica, relayed over the task's channel). Answers gathered
 * before the task existed (MRTR rounds of the original request) are reused, never asked again.
 */
import { BaseInput } from '../client-input.js';
import type { InputRequest } from '../context.js';
import type { JsonObject } from '../protocol.js';

interface Pending { request: InputRequest; answer: Promise<JsonObject>; resolve(a: JsonObject): void; reject(e: unknown): void }

/** Input for a handler running as a task. */
export class TaskInput extends BaseInput {
  private readonly answered: Record<string, JsonObject>;
  private readonly pending = new Map<string, Pending>();

  constructor(
    capabilities: JsonObject,
    seeds: Readonly<Record<string, JsonObject>>,
    /** Called with the outstanding requests whenever they change. */
    private readonly onChange: (outstanding: Record<string, InputRequest>) => void,
  ) {
    super(capabilities);
    this.answered = { ...seeds };
  }

  protected async ask<K extends string>(requests: Record<K, InputRequest>): Promise<Record<K, JsonObject>> {
    const out = {} as Record<K, JsonObject>;
    const waits: Promise<void>[] = [];
    let added = false;
    for (const key of Object.keys(requests) as K[]) {
      const known = this.answered[key];
      if (known !== undefined) { out[key] = known; continue; }
      // A key names one request for the task's lifetime (§Task Update Requests): asking the
      // same key again waits for the same answer.
      let p = this.pending.get(key);
      if (!p) {
        let resolve!: (a: JsonObject) => void;
        let reject!: (e: unknown) => void;
        const answer = new Promise<JsonObject>((res, rej) => { resolve = res; reject = rej; });
        answer.catch(() => {});
        p = { request: requests[key], answer, resolve, reject };
        this.pending.set(key, p);
        added = true;
      }
      waits.push(p.answer.then((a) => { out[key] = a; }));
    }
    if (added) this.onChange(this.outstanding());
    await Promise.all(waits);
    return out;
  }

  /**
   * Take answers from `tasks/update`. Keys that are not outstanding (never issued, already
   * answered) and answers that are not objects are ignored (§Task Update Requests: SHOULD ignore).
   */
  deliver(responses: Readonly<Record<string, unknown>>): void {
    let changed = false;
    for (const [key, value] of Object.entries(responses)) {
      const p = this.pending.get(key);
      if (!p || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      this.pending.delete(key);
      this.answered[key] = value as JsonObject;
      p.resolve(value as JsonObject);
      changed = true;
    }
    if (changed) this.onChange(this.outstanding());
  }

  /** Fail every outstanding question (the task was cancelled or is shutting down). */
  abort(reason: unknown): void {
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  /** The questions still waiting for an answer. */
  outstanding(): Record<string, InputRequest> {
    const out: Record<string, InputRequest> = {};
    for (const [key, p] of this.pending) out[key] = p.request;
    return out;
  }
}
