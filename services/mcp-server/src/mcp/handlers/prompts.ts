/** prompts/list and prompts/get (2026-07-28 server/prompts). */
import { withClientInput, type Call } from '../call.js';
import { InsufficientScopeError, invalidParams, truncate } from '../errors.js';
import { allows } from '../principal.js';
import type { JsonObject } from '../protocol.js';
import type { RawResult } from '../raw-result.js';
import { listResult } from './lists.js';
import { formatIssues } from './tools.js';

/** prompts/list. */
export function listPrompts(call: Call): RawResult {
  return listResult(call, 'prompt', 'prompts');
}

/** prompts/get: unknown prompt or bad arguments are -32602 (server/prompts §Error Handling). */
export async function getPrompt(call: Call): Promise<JsonObject> {
  const { params, ex, services } = call;
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('params.name must be the name of a prompt from prompts/list');
  const prompt = services.registry.get('prompt', name);
  if (!prompt) throw invalidParams(`Unknown prompt: ${truncate(name)}`);
  if (!allows(prompt.scopes, ex.principal.scopes)) throw new InsufficientScopeError(prompt.scopes);
  const raw = params.arguments ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidParams('params.arguments must be an object of string values');
  const parsed = prompt.def.arguments ? prompt.def.arguments.safeParse(raw) : { success: true as const, data: structuredClone(raw) };
  if (!parsed.success) throw invalidParams(`Invalid arguments for prompt ${name}: ${formatIssues(parsed.error)}`);
  return withClientInput(call, [name, raw], async (ctx) => {
    const out = await prompt.def.handler(parsed.data as never, ctx);
    if (typeof out === 'string') return { messages: [{ role: 'user', content: { type: 'text', text: out } }] };
    return out as unknown as JsonObject;
  });
}
