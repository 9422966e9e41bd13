/** completion/complete for prompt arguments and template variables (server/utilities/completion). */
import type { Call } from '../call.js';
import { buildContext } from '../call.js';
import type { Completer } from '../define.js';
import { InsufficientScopeError, invalidParams, truncate } from '../errors.js';
import { allows } from '../principal.js';
import type { JsonObject } from '../protocol.js';
import { NO_INPUT } from '../client-input.js';

const MAX_VALUES = 100;

/** completion/complete. */
export async function complete(call: Call): Promise<JsonObject> {
  const { params, services, ex } = call;
  const ref = params.ref as JsonObject | undefined;
  const arg = params.argument as JsonObject | undefined;
  if (!ref || typeof ref !== 'object' || !arg || typeof arg.name !== 'string' || typeof arg.value !== 'string') {
    throw invalidParams('completion/complete needs params.ref and params.argument { name, value }');
  }
  let completer: Completer | undefined;
  let scopes: readonly string[] = [];
  if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
    const p = services.registry.get('prompt', ref.name);
    if (!p) throw invalidParams(`Unknown prompt: ${truncate(ref.name)}`);
    completer = own(p.def.complete as Record<string, Completer> | undefined, arg.name);
    scopes = p.scopes;
  } else if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
    const t = services.registry.get('template', ref.uri);
    if (!t) throw invalidParams(`Unknown resource template: ${truncate(ref.uri)}`);
    completer = own(t.def.complete, arg.name);
    scopes = t.scopes;
  } else {
    throw invalidParams('params.ref must be { type: "ref/prompt", name } or { type: "ref/resource", uri }');
  }
  if (!allows(scopes, ex.principal.scopes)) throw new InsufficientScopeError(scopes);
  const context = (params.context as JsonObject | undefined)?.arguments;
  const args = context && typeof context === 'object' ? (context as Record<string, string>) : {};
  const values = completer ? [...(await completer(arg.value, { arguments: args, ctx: buildContext(call, NO_INPUT) }))] : [];
  return {
    completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES },
  };
}


/**
 * The completer declared for `name`, never an inherited property: the name is the client's,
 * and `__proto__` or `constructor` must mean "no completer", not a 500.
 */
function own(completers: Record<string, Completer> | undefined, name: string): Completer | undefined {
  const c = completers && Object.hasOwn(completers, name) ? completers[name] : undefined;
  return typeof c === 'function' ? c : undefined;
}
