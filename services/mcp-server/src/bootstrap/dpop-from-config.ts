/**
 * DPoP (RFC 9449) from configuration: the policy, the proof verifier over the shared state
 * store (jti replay, §11.1), optional server nonces (§9), and what metadata and challenges
 * advertise. Undefined when MCP_DPOP=off, so nothing changes for bearer-only deployments.
 */
import { createCredentialVerifier, createDpopNonces, createDpopProofVerifier, type CredentialVerifier, type TokenVerifier } from '../auth/index.js';
import type { Config } from '../config/config.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateStore } from '../state/store.js';

/** What the HTTP glue and the RFC 9728 document need. */
export interface DpopSetup {
  credentials: CredentialVerifier;
  algorithms: readonly string[];
  required: boolean;
  resourceOrigin: string;
}

/** Build the DPoP pieces, or undefined when the policy is off. */
export function dpopFromConfig(config: Config, verifier: TokenVerifier, resource: string, store?: StateStore): DpopSetup | undefined {
  if (config.MCP_DPOP === 'off') return undefined;
  const proofs = createDpopProofVerifier({
    store: store ?? new MemoryStore(),
    ...(config.MCP_DPOP_ALGS ? { algorithms: config.MCP_DPOP_ALGS } : {}),
    maxAgeSeconds: config.MCP_DPOP_MAX_AGE_SECONDS,
    // Nonces are HMACs; replicas sharing MCP_STATE_SECRET accept each other's.
    ...(config.MCP_DPOP_NONCE ? { nonces: createDpopNonces(config.MCP_STATE_SECRET ? { secret: config.MCP_STATE_SECRET } : {}) } : {}),
  });
  const credentials = createCredentialVerifier({ verifier, policy: config.MCP_DPOP, proofs, maxTokenBytes: config.MCP_MAX_TOKEN_BYTES });
  return { credentials, algorithms: proofs.algorithms, required: config.MCP_DPOP === 'required', resourceOrigin: new URL(resource).origin };
}
