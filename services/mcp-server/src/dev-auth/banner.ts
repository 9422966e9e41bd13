// The stderr banner: says loudly that this is a development server and shows the demo
// credentials a human needs to sign in (generated ones would be unknowable otherwise).

/** What the banner reports. */
export interface BannerInput {
  readonly issuer: string;
  readonly resource: string;
  readonly passwords: Readonly<Record<string, string>>;
  readonly clientSecrets: Readonly<Record<string, string>>;
  /** Placeholder NAME → generated value; only these values are printed. */
  readonly generated: Readonly<Record<string, string>>;
}

/** Lines of the development-only warning banner. */
export function banner(b: BannerInput): string[] {
  const generatedValues = new Set(Object.values(b.generated));
  const show = (v: string) => (generatedValues.has(v) ? v : '(from environment)');
  return [
    '='.repeat(72),
    ' WARNING: DEVELOPMENT authorization server (dev-auth). NOT FOR PRODUCTION.',
    ' Demo users, in-memory signing keys and storage; everything is lost on exit.',
    ` issuer:   ${b.issuer}`,
    ` resource: ${b.resource} (aud of access tokens)`,
    ...Object.entries(b.passwords).map(([u, p]) => ` user ${u.padEnd(16)} password ${show(p)}`),
    ...Object.entries(b.clientSecrets).map(([c, s]) => ` client ${c.padEnd(14)} secret   ${show(s)}`),
    ' public client mcp-inspector (PKCE S256); dynamic client registration open on loopback',
    '='.repeat(72),
  ];
}
