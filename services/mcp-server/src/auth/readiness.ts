// Readiness reporting shared by the verifiers, so /healthz can tell "AS briefly down but we
// still validate with cached keys" (degraded) from "cannot validate anything" (not_ready).

/** Health of a verifier or one of its components. */
export type ReadinessState = 'ready' | 'degraded' | 'not_ready';

/** Last failure seen by a component. */
export interface LastError {
  readonly message: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Readiness of one component (an issuer's key set, an introspection endpoint, ...). */
export interface ComponentStatus {
  readonly name: string;
  readonly state: ReadinessState;
  readonly lastError?: LastError;
}

/** Aggregated readiness report. */
export interface VerifierStatus {
  readonly state: ReadinessState;
  readonly lastError?: LastError;
  readonly components: readonly ComponentStatus[];
}

/** Aggregates component states: all ready → ready, none usable → not_ready, else degraded. */
export function aggregateStatus(components: readonly ComponentStatus[]): VerifierStatus {
  const states = components.map((c) => c.state);
  const state: ReadinessState =
    states.length > 0 && states.every((s) => s === 'ready')
      ? 'ready'
      : states.every((s) => s === 'not_ready')
        ? 'not_ready'
        : 'degraded';
  let lastError: LastError | undefined;
  for (const c of components) if (c.lastError && (!lastError || c.lastError.at >= lastError.at)) lastError = c.lastError;
  return { state, ...(lastError ? { lastError } : {}), components };
}
