/**
 * The catalogue of tools, prompts, resources and templates. Lists are kept sorted by name
 * (deterministic order, 2026-07-28 changelog minor 3) and the scope-filtered view for each
 * distinct scope set is memoized until the catalogue changes.
 */
import type { z } from 'zod';
import {
  compilePrompt, compileResource, compileTemplate, compileTool,
  type CompiledPrompt, type CompiledResource, type CompiledTemplate, type CompiledTool,
} from './compile.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from './define.js';
import { allows } from './principal.js';

/** The four kinds of catalogue entry. */
export type Kind = 'tool' | 'prompt' | 'resource' | 'template';
/** Any compiled entry. */
export type Entry = CompiledTool | CompiledPrompt | CompiledResource | CompiledTemplate;
type EntryOf<K extends Kind> = Extract<Entry, { kind: K }>;

/** Called with the kind whose list changed. */
export type ChangeListener = (kind: Kind) => void;

const MAX_VIEWS = 256;

/** A mutable catalogue; engines read it, users fill it. */
export class Registry {
  private readonly maps: { [K in Kind]: Map<string, EntryOf<K>> } = {
    tool: new Map(), prompt: new Map(), resource: new Map(), template: new Map(),
  };
  private readonly sorted: { [K in Kind]: readonly EntryOf<K>[] } = { tool: [], prompt: [], resource: [], template: [] };
  /** hasScoped per kind, recomputed on change: every list request asks, so it must not scan. */
  private readonly scoped: Record<Kind, boolean> = { tool: false, prompt: false, resource: false, template: false };
  private readonly views = new Map<string, readonly Entry[]>();
  private readonly listeners = new Set<ChangeListener>();
  /** Bumped on every change; part of pagination cursors so stale ones are detected. */
  version = 0;

  /** Register a tool; throws on a duplicate or invalid definition. */
  tool<I extends z.ZodObject, O extends z.ZodType | undefined>(def: ToolDefinition<I, O>): this {
    return this.put(compileTool(def as unknown as ToolDefinition<z.ZodObject, z.ZodType | undefined>));
  }
  /** Register a prompt. */
  prompt<A extends z.ZodObject>(def: PromptDefinition<A>): this {
    return this.put(compilePrompt(def as unknown as PromptDefinition));
  }
  /** Register a fixed resource. */
  resource(def: ResourceDefinition): this {
    return this.put(compileResource(def));
  }
  /** Register a resource template. */
  template(def: ResourceTemplateDefinition): this {
    return this.put(compileTemplate(def));
  }

  /** Remove an entry by name (URI for resources, template string for templates). */
  remove(kind: Kind, name: string): boolean {
    const removed = this.maps[kind].delete(name);
    if (removed) this.changed(kind);
    return removed;
  }

  /** Look up one entry. */
  get<K extends Kind>(kind: K, name: string): EntryOf<K> | undefined {
    return this.maps[kind].get(name) as EntryOf<K> | undefined;
  }

  /** All entries of a kind, sorted. */
  all<K extends Kind>(kind: K): readonly EntryOf<K>[] {
    return this.sorted[kind] as readonly EntryOf<K>[];
  }

  /** Entries of a kind listed to a principal with these scopes, sorted; memoized per scope set. */
  visible<K extends Kind>(kind: K, scopes: readonly string[]): readonly EntryOf<K>[] {
    const key = `${kind}\u0000${scopes.length === 1 ? scopes[0] : [...scopes].sort().join(' ')}`;
    let view = this.views.get(key);
    if (!view) {
      view = Object.freeze(this.sorted[kind].filter((e) => !e.listedWhenPermitted || allows(e.scopes, scopes)));
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      this.views.set(key, view);
    }
    return view as readonly EntryOf<K>[];
  }

  /** True when any entry of the kind is listed only when permitted (lists then vary per caller). */
  hasScoped(kind: Kind): boolean {
    return this.scoped[kind];
  }

  /** Every scope any entry declares (for `scopes_supported`). */
  declaredScopes(): string[] {
    const out = new Set<string>();
    for (const kind of Object.keys(this.sorted) as Kind[]) for (const e of this.sorted[kind]) e.scopes.forEach((s) => out.add(s));
    return [...out].sort();
  }

  /** Subscribe to list changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private put(entry: Entry): this {
    const map = this.maps[entry.kind] as Map<string, Entry>;
    if (map.has(entry.name)) throw new TypeError(`Duplicate ${entry.kind} "${entry.name}": each name may be registered once`);
    map.set(entry.name, entry);
    this.changed(entry.kind);
    return this;
  }

  private changed(kind: Kind): void {
    const sorted = [...this.maps[kind].values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    (this.sorted as Record<Kind, readonly Entry[]>)[kind] = Object.freeze(sorted);
    this.scoped[kind] = sorted.some((e) => e.listedWhenPermitted);
    this.views.clear();
    this.version++;
    for (const l of this.listeners) l(kind);
  }
}
