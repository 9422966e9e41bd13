// Login and consent for authorization requests (oidc-provider "interactions"): a minimal
// form a test can drive with fetch. CSRF: oidc-provider's interaction cookie is SameSite=Lax
// and path-scoped to /interaction/<uid>, so a cross-site POST arrives without it and fails.
import { timingSafeEqual, createHash } from 'node:crypto';
import express from 'express';
import type { Request, Response, NextFunction } from 'express';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { isCimdClientId } from './cimd.js';
import { consentPage, loginPage, type ClientLabel } from './pages.js';
import { OIDC_SCOPES } from './provider-config.js';
import type { RealmUser } from './realm.js';

/** What the interaction routes need to know. */
export interface InteractionOptions {
  readonly provider: Provider;
  readonly users: ReadonlyMap<string, RealmUser>;
  readonly resource: string;
  readonly mcpScopes: readonly string[];
  /** Realm clients skip the consent page (consentRequired=false); registered clients do not. */
  readonly autoConsent: (clientId: string) => boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time password comparison (hashing first equalises lengths). */
const samePassword = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** Splits the requested scopes into what the user's roles allow and what they do not. */
function decide(details: InteractionDetails, user: RealmUser, mcpScopes: readonly string[]) {
  const requested = String(details.params.scope ?? '').split(' ').filter(Boolean);
  const known = new Set<string>([...OIDC_SCOPES, ...mcpScopes]);
  const granted = requested.filter((s) => known.has(s) && user.scopes.has(s));
  const refused = requested.filter((s) => known.has(s) && !user.scopes.has(s));
  return { granted, refused };
}

/** Creates the express router for /interaction/:uid (GET page, POST login/confirm/abort). */
export function createInteractionRouter(opts: InteractionOptions): express.Router {
  const { provider, users, resource, mcpScopes } = opts;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  // Records the user's decision: a scope outside their roles is *rejected*, not granted, so the
  // token carries only what the user may have even if the client asked for more.
  async function grantFor(details: InteractionDetails, accountId: string): Promise<string> {
    const user = users.get(accountId)!;
    const clientId = String(details.params.client_id);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined)
      ?? new provider.Grant({ accountId, clientId });
    const { granted, refused } = decide(details, user, mcpScopes);
    const isOidc = (s: string) => (OIDC_SCOPES as readonly string[]).includes(s);
    for (const s of granted) {
      if (isOidc(s)) grant.addOIDCScope(s);
      else grant.addResourceScope(resource, s);
    }
    for (const s of refused) {
      if (isOidc(s)) grant.rejectOIDCScope(s);
      else grant.rejectResourceScope(resource, s);
    }
    return grant.save();
  }

  // Pages name the client by its registered client_name; realm clients are not self-registered.
  async function label(clientId: string): Promise<ClientLabel> {
    const client = await provider.Client.find(clientId);
    return { id: clientId, name: client?.clientName, selfRegistered: !opts.autoConsent(clientId),
      metadataDocument: isCimdClientId(clientId) };
  }

  router.get('/:uid', async (req: Request, res: Response) => {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const accountId = details.session?.accountId;
    if (details.prompt.name === 'login' || accountId === undefined || !users.has(accountId)) {
      res.type('html').send(loginPage(details.uid, await label(clientId)));
      return;
    }
    if (opts.autoConsent(clientId)) {
      await provider.interactionFinished(req, res, { consent: { grantId: await grantFor(details, accountId) } },
        { mergeWithLastSubmission: true });
      return;
    }
    const { granted, refused } = decide(details, users.get(accountId)!, mcpScopes);
    res.type('html').send(consentPage(details.uid, await label(clientId), granted, refused));
  });

  router.post('/:uid/login', form, async (req: Request, res: Response) => {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const username = String(req.body?.username ?? '');
    const user = users.get(username);
    if (!user || !samePassword(String(req.body?.password ?? ''), user.password)) {
      res.status(401).type('html').send(loginPage(details.uid, await label(clientId), 'Invalid username or password.', username));
      return;
    }
    const result: Record<string, unknown> = { login: { accountId: username, amr: ['pwd'] } };
    // Demo clients: consent in the same step (the realm has consentRequired=false for them).
    if (opts.autoConsent(clientId)) result.consent = { grantId: await grantFor(details, username) };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  });

  router.post('/:uid/confirm', async (req: Request, res: Response) => {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    if (accountId === undefined || !users.has(accountId)) {
      res.status(400).type('text').send('no signed-in user for this interaction');
      return;
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grantFor(details, accountId) } },
      { mergeWithLastSubmission: true });
  });

  router.post('/:uid/abort', async (req: Request, res: Response) => {
    await provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
  });

  // Expired/unknown interactions (SessionNotFound) → a plain 400 instead of a stack trace.
  router.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).type('text').send(`interaction failed: ${err.message}\n`);
  });
  return router;
}
