/**
 * Task records behind the StateStore (io.modelcontextprotocol/tasks): one JSON record per task
 * under a namespaced key that expires with the task, a per-principal counter of running tasks,
 * and one pub/sub channel per task for control messages (cancel, input) and status. Every
 * replica reads the same records, so `tasks/get` answers alike wherever it lands.
 */
import { randomUUID } from 'node:crypto';
import { QuotaExceededError } from '../bounds.js';
import type { InputRequest } from '../context.js';
import type { JsonObject } from '../protocol.js';
import type { Principal } from '../principal.js';
import { digest } from '../sealed.js';
import type { MessageListener, StateStore } from '../../state/store.js';

/** The extension identifier (tasks §Extension Identifier). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Task statuses (tasks §Task Status); the last three are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** True for a status that never changes again. */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** A stored task: the wire `DetailedTask` plus its owner and absolute expiry. */
export interface TaskRecord {
  taskId: string;
  /** Digest of issuer, subject and client id: only the creating principal sees the task. */
  owner: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  /** Epoch ms after which the record is gone. */
  expiresAt: number;
  inputRequests?: Record<string, InputRequest>;
  result?: JsonObject;
  error?: JsonObject;
}

/** Limits of the task layer (MCP_TASK_TTL_MS, MCP_MAX_TASKS_PER_PRINCIPAL, MCP_TASK_POLL_INTERVAL_MS). */
export interface TaskLimits {
  readonly ttlMs: number;
  readonly maxPerPrincipal: number;
  readonly pollIntervalMs: number;
}

/** The defaults, equal to config.ts's. */
export const DEFAULT_TASK_LIMITS: TaskLimits = Object.freeze({ ttlMs: 3_600_000, maxPerPrincipal: 16, pollIntervalMs: 1000 });

/** The owner key of a principal: subject and client id, within their issuer. */
export function taskOwner(p: Principal): string {
  return digest(['task-owner', p.issuer ?? '', p.subject, p.clientId ?? '']);
}

/** The wire shape of a record (Task / DetailedTask): without owner and expiry. */
export function wireTask(r: TaskRecord): JsonObject {
  const { owner: _o, expiresAt: _e, ...task } = r;
  return task;
}

const KEY = 'mcp:task:';
const QUOTA = 'mcp:task-quota:';
const CHANNEL = 'mcp:task-events:';

/** Records, quota counters and channels of the task layer over a StateStore. */
export class TaskRecords {
  constructor(private readonly store: StateStore, readonly limits: TaskLimits, private readonly now: () => number) {}

  /**
   * Take a running-task slot for `owner` and write a new `working` record; resolves only once
   * the record is stored (tasks §Task Creation: durably created before CreateTaskResult).
   */
  async create(owner: string): Promise<TaskRecord> {
    const { ttlMs, maxPerPrincipal: max, pollIntervalMs } = this.limits;
    if (await this.store.increment(QUOTA + owner, 1, ttlMs) > max) {
      await this.release(owner);
      throw new QuotaExceededError('MCP_MAX_TASKS_PER_PRINCIPAL', max, 'running tasks per principal', 'wait for a task to finish, or cancel one with tasks/cancel');
    }
    const now = this.now();
    const at = new Date(now).toISOString();
    const record: TaskRecord = { taskId: randomUUID(), owner, status: 'working', createdAt: at, lastUpdatedAt: at, ttlMs, pollIntervalMs, expiresAt: now + ttlMs };
    try {
      await this.store.set(KEY + record.taskId, JSON.stringify(record), { ttlMs, ifAbsent: true });
    } catch (e) {
      await this.release(owner);
      throw e;
    }
    return record;
  }

  /** The record of `taskId` if `owner` created it; another principal's task is as unknown as a missing one. */
  async load(taskId: string, owner: string): Promise<TaskRecord | undefined> {
    const raw = await this.store.get(KEY + taskId);
    if (raw === undefined) return undefined;
    const record = JSON.parse(raw) as TaskRecord;
    return record.owner === owner ? record : undefined;
  }

  /** Write a record for the rest of its TTL (dropped once the TTL has passed). */
  async save(record: TaskRecord): Promise<void> {
    const left = record.expiresAt - this.now();
    if (left <= 0) return;
    await this.store.set(KEY + record.taskId, JSON.stringify(record), { ttlMs: left });
  }

  /**
   * Give back a running-task slot. A counter that reaches zero is removed, so one whose window
   * expired under running tasks (a decrement then goes negative) heals instead of drifting.
   */
  async release(owner: string): Promise<void> {
    if (await this.store.increment(QUOTA + owner, -1, this.limits.ttlMs) <= 0) await this.store.delete(QUOTA + owner);
  }

  /** Send a control or status message about a task to every replica. */
  publish(taskId: string, message: JsonObject): Promise<void> {
    return this.store.publish(CHANNEL + taskId, JSON.stringify(message));
  }

  /** Listen to a task's messages. */
  subscribe(taskId: string, listener: MessageListener): Promise<() => Promise<void>> {
    return this.store.subscribe(CHANNEL + taskId, listener);
  }
}
