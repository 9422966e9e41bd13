import { describe, expect, it } from '@jest/globals';
import { createPrincipal, identityBytes, identityOf, principalFromIdentity, tokenOf } from '../../src/auth/principal.js';

const CLAIMS = { sub: 'alice', scope: 'a b', client_id: 'app', extra: { deep: true } };

describe('verified principals', () => {
  it('createPrincipal freezes a copy and keeps the token out of every enumerable view', () => {
    const p = createPrincipal({ subject: 'alice', clientId: 'app', scopes: ['a', 'b'], claims: CLAIMS, expiresAt: 5, issuer: 'https://as' }, 'tok-1');
    expect(p).toMatchObject({ subject: 'alice', clientId: 'app', scopes: ['a', 'b'], expiresAt: 5, issuer: 'https://as' });
    expect(p.claims).toEqual(CLAIMS);
    expect(p.claims).not.toBe(CLAIMS);
    expect(Object.isFrozen(p) && Object.isFrozen(p.scopes) && Object.isFrozen(p.claims)).toBe(true);
    expect(tokenOf(p)).toBe('tok-1');
    expect(JSON.stringify(p)).not.toContain('tok-1');
    expect(Object.values(p)).not.toContain('tok-1');
  });

  it('leaves out absent optional fields', () => {
    const p = createPrincipal({ subject: 's', scopes: [], claims: {} }, 't');
    expect(Object.keys(p).sort()).toEqual(['scopes', 'subject']);
  });

  it('identityOf keeps what a cache needs: no claims, no token', () => {
    const p = createPrincipal({ subject: 'alice', clientId: 'app', scopes: ['a'], claims: CLAIMS, expiresAt: 5, issuer: 'https://as' }, 'tok-1');
    const id = identityOf(p);
    expect(id).toEqual({ subject: 'alice', clientId: 'app', scopes: ['a'], expiresAt: 5, issuer: 'https://as' });
    expect(id.scopes).toBe(p.scopes);
    expect(identityBytes(id)).toBeGreaterThan(100);
    expect(identityBytes(id)).toBeLessThan(400);
  });

  it('principalFromIdentity reads claims only when asked, once, for this request\'s token', () => {
    let reads = 0;
    const id = { subject: 'alice', scopes: Object.freeze(['a']), expiresAt: 5 };
    const p = principalFromIdentity(id, 'tok-2', () => { reads++; return CLAIMS; });
    expect(reads).toBe(0);
    expect(p).toMatchObject({ subject: 'alice', scopes: ['a'], expiresAt: 5 });
    expect(p.claims).toEqual(CLAIMS);
    expect(p.claims).toBe(p.claims);
    expect(reads).toBe(1);
    expect(Object.isFrozen(p.claims)).toBe(true);
    expect(tokenOf(p)).toBe('tok-2');
    expect(principalFromIdentity(id, 'tok-3', CLAIMS).claims).toBe(CLAIMS);
  });
});
