/**
 * The Prometheus implementation of the metrics sink (prom-client). Every metric and label set
 * is created once; per event the hot path looks up a cached child and adds to a plain number,
 * which prom-client receives when scraped (tallies.ts). Label
 * values are bounded: methods come from the method table, tool and prompt names only from the
 * catalogue ("unknown" otherwise), auth reasons from AuthError codes (capped), outcomes and
 * statuses from small fixed sets.
 */
import { Counter, Gauge, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import type { Registry } from '../mcp/registry.js';
import { endpointUsage, type CallOutcome, type Era, type MetricsSink } from './sink.js';
import { flushAll, LocalHistogram, Tally, type HistogramSeries } from './tallies.js';

/** Label value for names outside the catalogue and reasons past the cap. */
export const UNKNOWN = 'unknown';
const MAX_REASONS = 32;
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Options for createPromMetrics. */
export interface PromMetricsOptions {
  /** The catalogue: only its tool and prompt names become label values. */
  catalogue: Registry;
  /** Node.js and process metrics (event-loop lag, CPU, memory, handles); default true. */
  processMetrics?: boolean;
}

/** A sink and the registry to expose. */
export interface PromMetrics { sink: MetricsSink; register: PromRegistry }

type Kind = 'tool' | 'prompt';
interface CallChildren { calls: Record<CallOutcome, Tally>; duration: HistogramSeries }

/** Create the metrics in a registry of their own. */
export function createPromMetrics(opts: PromMetricsOptions): PromMetrics {
  const register = new PromRegistry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register });
  const registers = [register];
  // Every hot counter's children, flushed into prom-client by whichever counter is read first.
  const tallies: Tally[] = [];
  const tally = (child: Counter.Internal): Tally => { const t = new Tally(child); tallies.push(t); return t; };
  const collect = () => flushAll(tallies);
  const requests = new Counter({ name: 'mcp_requests_total', help: 'JSON-RPC requests answered, by MCP method, HTTP status and protocol era', labelNames: ['method', 'status', 'era'], registers, collect });
  const calls = {
    tool: new Counter({ name: 'mcp_tool_calls_total', help: 'tools/call requests by tool and outcome', labelNames: ['tool', 'outcome'], registers, collect }),
    prompt: new Counter({ name: 'mcp_prompt_gets_total', help: 'prompts/get requests by prompt and outcome', labelNames: ['prompt', 'outcome'], registers, collect }),
  };
  const durations = {
    tool: new LocalHistogram('mcp_tool_call_duration_seconds', 'tools/call latency in the engine, by tool', 'tool', DURATION_BUCKETS),
    prompt: new LocalHistogram('mcp_prompt_get_duration_seconds', 'prompts/get latency in the engine, by prompt', 'prompt', DURATION_BUCKETS),
  };
  register.registerMetric(durations.tool as never);
  register.registerMetric(durations.prompt as never);
  const authFailures = new Counter({ name: 'mcp_auth_failures_total', help: 'Rejected credentials by reason (AuthError code)', labelNames: ['reason'], registers });
  const jwks = new Counter({ name: 'mcp_jwks_fetches_total', help: 'JWKS fetches by outcome', labelNames: ['outcome'], registers });
  const cacheLookups = new Counter({ name: 'mcp_token_cache_lookups_total', help: 'Verified-token cache lookups by result', labelNames: ['result'], registers, collect });
  let cacheSize = 0;
  new Gauge({ name: 'mcp_token_cache_entries', help: 'Entries in the verified-token cache', registers, collect() { this.set(cacheSize); } });
  const limited = new Counter({ name: 'mcp_rate_limit_refusals_total', help: 'Requests refused with 429 by a rate limit', labelNames: ['limit'], registers });
  new Gauge({ name: 'mcp_open_streams', help: 'Long-lived streams open (GET streams, subscriptions/listen)', registers, collect() { this.set(endpointUsage().streams); } });
  new Gauge({ name: 'mcp_sessions', help: 'Sessions opened in the last idle period, all replicas (MCP_SESSIONS=sessions; as last counted by this replica)', registers, collect() { this.set(endpointUsage().sessions); } });

  // era -> method -> status -> child: no string keys built per request.
  const requestChildren: Record<Era, Map<string, Map<number, Tally>>> = { modern: new Map(), legacy: new Map() };
  const callChildren: Record<Kind, Map<string, CallChildren>> = { tool: new Map(), prompt: new Map() };
  const childrenFor = (kind: Kind, name: string): CallChildren => {
    const c = calls[kind];
    return {
      calls: { ok: tally(c.labels(name, 'ok')), error: tally(c.labels(name, 'error')), input_required: tally(c.labels(name, 'input_required')), denied: tally(c.labels(name, 'denied')) },
      duration: durations[kind].child(name),
    };
  };
  const unknownCall: Record<Kind, CallChildren> = { tool: childrenFor('tool', UNKNOWN), prompt: childrenFor('prompt', UNKNOWN) };
  const reasons = new Map<string, Counter.Internal>();
  const jwksOk = jwks.labels('success');
  const jwksFailed = jwks.labels('failure');
  const hits = tally(cacheLookups.labels('hit'));
  const misses = tally(cacheLookups.labels('miss'));
  const refusals = { requests: limited.labels('requests'), failed_auth: limited.labels('failed_auth') };

  const sink: MetricsSink = {
    mcpRequest(method, status, era) {
      let byStatus = requestChildren[era].get(method);
      if (!byStatus) requestChildren[era].set(method, (byStatus = new Map()));
      let child = byStatus.get(status);
      if (!child) byStatus.set(status, (child = tally(requests.labels(method, String(status), era))));
      child.inc();
    },
    call(kind, name, outcome, seconds) {
      let c = callChildren[kind].get(name);
      if (!c) {
        // Only catalogue names get a label value of their own; the rest share "unknown" (and
        // are not remembered, so a client inventing names cannot grow this map).
        if (opts.catalogue.get(kind, name)) callChildren[kind].set(name, (c = childrenFor(kind, name)));
        else c = unknownCall[kind];
      }
      c.calls[outcome].inc();
      c.duration.observe(seconds);
    },
    authFailure(reason) {
      let child = reasons.get(reason);
      if (!child) {
        const label = reasons.size < MAX_REASONS && /^[a-z_]{1,40}$/.test(reason) ? reason : 'other';
        child = authFailures.labels(label);
        if (label === reason) reasons.set(reason, child);
      }
      child.inc();
    },
    jwksFetch(ok) { (ok ? jwksOk : jwksFailed).inc(); },
    tokenCache(hit, size) { (hit ? hits : misses).inc(); cacheSize = size; },
    rateLimited(limit) { refusals[limit].inc(); },
  };
  return { sink, register };
}
