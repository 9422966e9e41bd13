/**
 * The answer when session state cannot be read or written (Redis down, or the store full):
 * 503 with Retry-After, never a guess. A session lookup fails closed — serving a request
 * against a session we could not check would break its binding to the principal.
 */
import type { ServerResponse } from 'node:http';
import { ErrorCodes } from '../mcp/protocol.js';
import { StateError } from '../state/errors.js';
import { sendJson } from './response-channel.js';

/** Seconds a client is told to wait; Redis reconnects within about 2 s. */
const RETRY_AFTER_S = '2';

/** Answer 503 for a StateError; any other error is rethrown (a bug, for the 500 handler). */
export function sendStateRefusal(res: ServerResponse, e: unknown, id: string | number | null = null): void {
  if (!(e instanceof StateError)) throw e;
  sendJson(res, 503, {
    jsonrpc: '2.0', id,
    error: {
      code: ErrorCodes.InternalError,
      // Not e.message: it may name the store's address, which is no business of the client.
      message: `Session state is unavailable (${e.code === 'ERR_STATE_FULL' ? 'the state store is full' : 'the state store did not answer'}); retry after the time in the Retry-After header`,
      data: { code: e.code },
    },
  }, { 'retry-after': RETRY_AFTER_S });
}
