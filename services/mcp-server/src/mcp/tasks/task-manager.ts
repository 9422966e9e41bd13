/**
 * Runs work as tasks (io.modelcontextprotocol/tasks): creates the record, runs the handler in
 * the background with an AbortSignal tied to `tasks/cancel` (not to the HTTP request, so a
 * task outlives its client's connection), mirrors status, progress and input requests into
 * the record, and serves tasks/get, tasks/update and tasks/cancel from the store, so any
 * replica can answer and cancellation reaches the replica running the handler over pub/sub.
 */
import { McpError } from '../errors.js';
import type { InputRequest } from '../context.js';
import { ErrorCodes, type JsonObject } from '../protocol.js';
import type { Logger } from '../../logging/logger.js';
import type { StateStore } from '../../state/store.js';
import { TaskInput } from './task-input.js';
import { isTerminal, TaskRecords, wireTask, type TaskLimits, type TaskRecord } from './task-records.js';

/** What the work running as a task gets. */
export interface TaskControl {
  readonly taskId: string;
  /** Fires on tasks/cancel, expiry or shutdown. */
  readonly signal: AbortSignal;
  readonly input: TaskInput;
  /** Report progress: shown as the task's `statusMessage`. */
  progress(message: string): void;
}

/** A task whose handler runs in this process. */
interface Live {
  record: TaskRecord;
  readonly controller: AbortController;
  readonly input: TaskInput;
  writes: Promise<void>;
  queued: boolean;
  timer?: NodeJS.Timeout;
}

type Message = { t: 'cancel' } | { t: 'input'; r: Record<string, unknown> };

/** The task layer of one engine. */
export class TaskManager {
  readonly records: TaskRecords;
  private readonly live = new Map<string, Live>();

  constructor(store: StateStore, limits: TaskLimits, private readonly logger: Logger, private readonly now: () => number) {
    this.records = new TaskRecords(store, limits, now);
  }

  /** Create a task for `owner` and start `work`; resolves with the seed task once it is durable. */
  async start(owner: string, capabilities: JsonObject, seeds: Readonly<Record<string, JsonObject>>, work: (c: TaskControl) => Promise<JsonObject>): Promise<JsonObject> {
    const record = await this.records.create(owner);
    const controller = new AbortController();
    const live: Live = { record, controller, input: new TaskInput(capabilities, seeds, (o) => this.onInput(live, o)), writes: Promise.resolve(), queued: false };
    let unsubscribe: () => Promise<void>;
    try {
      // Subscribed before the client learns the id, so an immediate tasks/cancel is heard.
      unsubscribe = await this.records.subscribe(record.taskId, (m) => this.onMessage(live, m));
    } catch (e) {
      await this.records.release(owner);
      throw e;
    }
    this.live.set(record.taskId, live);
    // The record expires after ttlMs; so does the work.
    live.timer = setTimeout(() => controller.abort(new Error('The task expired')), record.ttlMs);
    live.timer.unref();
    controller.signal.addEventListener('abort', () => live.input.abort(controller.signal.reason), { once: true });
    const control: TaskControl = { taskId: record.taskId, signal: controller.signal, input: live.input, progress: (m) => this.patch(live, { statusMessage: m }) };
    void this.run(live, work, control).finally(async () => {
      clearTimeout(live.timer);
      this.live.delete(record.taskId);
      await unsubscribe().catch(() => {});
      await this.records.release(owner).catch((e: unknown) => this.logger.warn('task quota release failed', { error: e }));
    });
    return wireTask(record);
  }

  /** tasks/get: the task as the store has it, or undefined (unknown, expired, or another principal's). */
  async get(taskId: string, owner: string): Promise<JsonObject | undefined> {
    const r = await this.records.load(taskId, owner);
    return r && wireTask(r);
  }

  /** tasks/update: relay answers to the replica running the task; false when the task is unknown. */
  async update(taskId: string, owner: string, responses: Record<string, unknown>): Promise<boolean> {
    const r = await this.records.load(taskId, owner);
    if (!r) return false;
    // Relayed even while the record still says working: the handler may have just asked.
    if (!isTerminal(r.status)) await this.records.publish(taskId, { t: 'input', r: responses });
    return true;
  }

  /** tasks/cancel: ask the replica running the task to stop it; false when the task is unknown. */
  async cancel(taskId: string, owner: string): Promise<boolean> {
    const r = await this.records.load(taskId, owner);
    if (!r) return false;
    if (!isTerminal(r.status)) await this.records.publish(taskId, { t: 'cancel' });
    return true;
  }

  /** Stop every task running here: each ends `failed`, so clients stop polling (shutdown). */
  async close(): Promise<void> {
    const all = [...this.live.values()];
    for (const l of all) {
      this.settle(l, { status: 'failed', statusMessage: 'The server shut down', error: { code: ErrorCodes.InternalError, message: 'The server shut down before the task finished' } });
      l.controller.abort(new Error('The server is shutting down'));
    }
    await Promise.all(all.map((l) => l.writes));
  }

  private async run(live: Live, work: (c: TaskControl) => Promise<JsonObject>, control: TaskControl): Promise<void> {
    try {
      const result = await work(control);
      this.settle(live, control.signal.aborted ? { status: 'cancelled' } : { status: 'completed', result });
    } catch (e) {
      // tasks §Task Execution Errors: `failed` carries the JSON-RPC error; it is never used
      // for a tool result with isError (those complete).
      if (control.signal.aborted) this.settle(live, { status: 'cancelled' });
      else this.settle(live, { status: 'failed', statusMessage: 'The request failed', error: rpcError(e, this.logger) });
    }
    await live.writes;
  }

  private onMessage(live: Live, raw: string): void {
    let m: Message;
    try { m = JSON.parse(raw) as Message; } catch { return; }
    if (m.t === 'cancel') {
      // Cooperative (§Task Cancellation): the status is cancelled at once; the handler sees its signal.
      this.settle(live, { status: 'cancelled', statusMessage: 'Cancelled by the client' });
      live.controller.abort(new Error('The task was cancelled'));
    } else if (m.t === 'input' && m.r !== null && typeof m.r === 'object') {
      live.input.deliver(m.r);
    }
  }

  private onInput(live: Live, outstanding: Record<string, InputRequest>): void {
    const waiting = Object.keys(outstanding).length > 0;
    this.patch(live, { status: waiting ? 'input_required' : 'working', inputRequests: waiting ? outstanding : undefined });
  }

  /** Move to a terminal status (once: terminal states never change). */
  private settle(live: Live, patch: Partial<TaskRecord>): void {
    this.patch(live, { inputRequests: undefined, ...patch });
  }

  /** Change the record and queue its write; writes are ordered and coalesced (the latest state wins). */
  private patch(live: Live, patch: Partial<TaskRecord>): void {
    if (isTerminal(live.record.status)) return;
    const next: TaskRecord = { ...live.record, ...patch, lastUpdatedAt: new Date(this.now()).toISOString() };
    if (next.inputRequests === undefined) delete next.inputRequests;
    live.record = next;
    if (live.queued) return;
    live.queued = true;
    live.writes = live.writes.then(async () => {
      live.queued = false;
      await this.records.save(live.record);
    }).catch((e: unknown) => this.logger.error('task record write failed', { taskId: live.record.taskId, error: e }));
  }
}

/** The JSON-RPC error object of a failure. */
function rpcError(e: unknown, logger: Logger): JsonObject {
  if (e instanceof McpError) return e.data === undefined ? { code: e.rpcCode, message: e.message } : { code: e.rpcCode, message: e.message, data: e.data };
  logger.error('unhandled error in task', { error: e });
  return { code: ErrorCodes.InternalError, message: 'Internal error' };
}
