// JWS algorithm policy. Access tokens must be signed asymmetrically: `none` is unsigned, and
// HS* would let anyone holding the (public!) verification key forge tokens — the classic
// "HS256 with the RSA public key as secret" confusion attack. RFC 8725 §3.1/§3.2.
import { ConfigurationError } from './errors.js';

/** Every algorithm the resource server can ever accept. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

const ALLOWED = new Set(ASYMMETRIC_ALGORITHMS);

/** Validates a configured algorithm list, rejecting none/HS* with an explanatory error. */
export function checkAlgorithms(name: string, algs: readonly string[] | undefined): readonly string[] | undefined {
  if (algs === undefined) return undefined;
  if (!Array.isArray(algs) || algs.length === 0) throw new ConfigurationError(`${name} must be a non-empty array`);
  for (const alg of algs) {
    if (ALLOWED.has(alg)) continue;
    if (typeof alg === 'string' && (alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg))) {
      throw new ConfigurationError(`${name}: "${alg}" is never accepted for access tokens (RFC 8725 §3.1)`);
    }
    const fix = ASYMMETRIC_ALGORITHMS.find((a) => a.toLowerCase() === String(alg).toLowerCase());
    throw new ConfigurationError(`${name}: unsupported algorithm ${JSON.stringify(alg)}`, fix && `"${fix}"`);
  }
  return Object.freeze([...algs]);
}

/** Algorithms from AS metadata, minus none and every symmetric algorithm; all asymmetric if none remain. */
export function algorithmsFromMetadata(metadata: Readonly<Record<string, unknown>>): readonly string[] {
  // RFC 8414 has no field for access-token algorithms; IdPs sign ATs with the ID-token keys.
  const listed = metadata.id_token_signing_alg_values_supported;
  const usable = Array.isArray(listed) ? listed.filter((a): a is string => typeof a === 'string' && ALLOWED.has(a)) : [];
  return usable.length > 0 ? usable : ASYMMETRIC_ALGORITHMS;
}
