/**
 * Shared, concurrency-safe record of tool calls: every update is one synchronous step on the
 * event loop, so concurrent requests never lose an increment. Created by the example
 * lifespan and fed by the engine's audit hook.
 *
 * Bounded by construction: only the tools named at creation are counted (a call to an
 * unknown name — any string a client makes up, up to the body limit — is never stored), and
 * the recent list keeps a fixed number of entries with capped fields.
 */
import type { AuditEvent } from '../server-types.js';

/** Longest subject kept in the recent list (subjects come from tokens). */
const MAX_SUBJECT = 256;

/** One entry of the recent list. */
export interface RecentCall { name: string; subject: string; at: string; outcome: string }

/** Counts calls per known tool and keeps the most recent ones. */
export class CalledTools {
  private readonly counts = new Map<string, number>();
  // Times kept as epoch ms and formatted in snapshot(): record() runs on every tools/call.
  private readonly recent: (Omit<RecentCall, 'at'> & { atMs: number })[] = [];
  private readonly known: ReadonlySet<string>;
  private readonly keep: number;

  /** `known`: the tool names to count (the catalogue); `keep`: recent calls kept (default 50). */
  constructor(known: Iterable<string>, keep = 50) {
    this.known = new Set(known);
    this.keep = keep;
  }

  /** Record one finished tools/call of a known tool; anything else is ignored. */
  record(event: AuditEvent, at: Date | number = Date.now()): void {
    if (event.method !== 'tools/call' || !this.known.has(event.name)) return;
    this.counts.set(event.name, (this.counts.get(event.name) ?? 0) + 1);
    this.recent.push({ name: event.name, subject: event.subject.slice(0, MAX_SUBJECT), atMs: typeof at === 'number' ? at : at.getTime(), outcome: event.outcome });
    if (this.recent.length > this.keep) this.recent.shift();
  }

  /** Calls per tool, sorted by name, and the most recent calls. */
  snapshot(): { counts: { name: string; calls: number }[]; recent: RecentCall[] } {
    const counts = [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, calls]) => ({ name, calls }));
    return { counts, recent: this.recent.map(({ name, subject, atMs, outcome }) => ({ name, subject, at: new Date(atMs).toISOString(), outcome })) };
  }

  /** Forget everything (the admin example tool). */
  reset(): number {
    const n = [...this.counts.values()].reduce((a, b) => a + b, 0);
    this.counts.clear();
    this.recent.length = 0;
    return n;
  }
}

declare module '../mcp/context.js' {
  interface AppState {
    /** Tools called so far (example state). */
    calledTools: CalledTools;
  }
}
