/**
 * Small authenticated-encryption envelope for values that round-trip through the client:
 * MRTR `requestState` and pagination cursors. AES-256-GCM gives integrity (tampering is
 * detected, MRTR §Server Requirements 4: "MUST protect its integrity") and keeps any user
 * answers carried in the state unreadable to intermediaries.
 */
import { createCipheriv, createDecipheriv, createHash, hash, randomBytes } from 'node:crypto';

/** Seals and opens JSON values with a key derived from the server secret. */
export interface Sealer {
  seal(value: unknown, purpose: string): string;
  /** Returns undefined for anything that was not sealed by us for this purpose. */
  open(token: string, purpose: string): unknown;
}

/** IV (12) + tag (16) + the shortest JSON text (1 byte, e.g. `5`) = 29 bytes = 39 base64url chars. */
const MIN_TOKEN = 39;

/** Create a sealer; `secret` should be at least 32 random bytes and shared by all replicas. */
export function createSealer(secret: string | Uint8Array): Sealer {
  if (secret.length < 32) throw new TypeError('The state secret must be at least 32 bytes (set MCP_STATE_SECRET to a long random value)');
  const key = createHash('sha256').update('mcp-resource-server/sealed/v1').update(secret).digest();
  return {
    seal(value, purpose) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(token, purpose) {
      if (typeof token !== 'string' || token.length < MIN_TOKEN || token.length > 262_144 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
      try {
        const raw = Buffer.from(token, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

/** A digest of a JSON value, stable for equal values (keys sorted). */
export function digest(value: unknown): string {
  return hash('sha256', stableStringify(value), 'base64url').slice(0, 22);
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
