// Server-provided DPoP nonces (RFC 9449 §8, §9) without shared state: a nonce is the current
// time window plus an HMAC of it, so every replica holding the same secret accepts it, and
// it expires by itself after at most two windows.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from './errors.js';

/** Options for createDpopNonces. */
export interface DpopNonceOptions {
  /** HMAC key shared by every replica (default: random, so one replica only). */
  readonly secret?: string | Buffer;
  /** Length of one window in seconds (default 300); a nonce lives one to two windows. */
  readonly windowSeconds?: number;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
}

/** Issues and checks DPoP nonces. */
export interface DpopNonces {
  /** The nonce to send in `DPoP-Nonce` now. */
  current(): string;
  /** True when the nonce was issued in this window or the one before. */
  check(nonce: string): boolean;
}

/** Creates the stateless nonce source. */
export function createDpopNonces(options: DpopNonceOptions = {}): DpopNonces {
  const secret = options.secret ?? randomBytes(32);
  const window = options.windowSeconds ?? 300;
  if (!Number.isInteger(window) || window < 1) throw new ConfigurationError('windowSeconds must be a positive integer');
  const now = options.now ?? Date.now;
  const mac = (w: number): string => createHmac('sha256', secret).update(`dpop-nonce:${w}`).digest('base64url').slice(0, 22);
  const make = (w: number): string => `${w.toString(36)}.${mac(w)}`;
  const windowNow = (): number => Math.floor(now() / 1000 / window);
  return {
    current: () => make(windowNow()),
    check(nonce) {
      const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
      if (!m) return false;
      const w = parseInt(m[1]!, 36);
      const cur = windowNow();
      if (w !== cur && w !== cur - 1) return false;
      return timingSafeEqual(Buffer.from(m[2]!), Buffer.from(mac(w)));
    },
  };
}
