/** Errors of the state layer, with stable codes (the jose style used across the server). */

/** Base class: every state error has a stable `code`. */
export class StateError extends Error {
  /** Stable machine-readable code. */
  readonly code: string = 'ERR_STATE';
}

/** The store cannot be reached; callers fail closed (a session lookup is refused, not guessed). */
export class StoreUnavailableError extends StateError {
  override readonly code = 'ERR_STATE_UNAVAILABLE';
  constructor(message = 'The state store is unavailable', options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The store holds as many keys as it may; the write was refused. */
export class StoreFullError extends StateError {
  override readonly code = 'ERR_STATE_FULL';
  constructor(readonly maxKeys: number) {
    super(`The state store is full (${maxKeys} keys); try again later`);
    this.name = 'StoreFullError';
  }
}
