/**
 * Shared, concurrency-safe record of tool calls: every update is one synchronous step on the
 * event loop, so concurrent requests never lose an increment. Created by the example
 * lifespan and fed by the engine's audit hook.
 */
import type { AuditEvent } from '../server-types.js';

/** Counts calls per tool and keeps the most recent ones. */
export class CalledTools {
  private readonly counts = new Map<string, number>();
  private readonly recent: { name: string; subject: string; at: string; outcome: string }[] = [];
  constructor(private readonly keep = 50) {}

  /** Record one finished tools/call. */
  record(event: AuditEvent, at = new Date()): void {
    if (event.method !== 'tools/call') return;
    this.counts.set(event.name, (this.counts.get(event.name) ?? 0) + 1);
    this.recent.push({ name: event.name, subject: event.subject, at: at.toISOString(), outcome: event.outcome });
    if (this.recent.length > this.keep) this.recent.shift();
  }

  /** Calls per tool, sorted by name, and the most recent calls. */
  snapshot(): { counts: { name: string; calls: number }[]; recent: { name: string; subject: string; at: string; outcome: string }[] } {
    const counts = [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, calls]) => ({ name, calls }));
    return { counts, recent: this.recent.map((r) => ({ ...r })) };
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
