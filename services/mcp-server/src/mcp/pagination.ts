/**
 * Opaque pagination cursors (2026-07-28 server/utilities/pagination): a sealed offset bound
 * to the list kind, so a cursor from another list or a forged one is rejected with -32602.
 */
import { invalidParams } from './errors.js';
import type { Sealer } from './sealed.js';

/** One page of items and the cursor for the next, if any. */
export interface Page<T> { items: readonly T[]; nextCursor?: string }

/** The offset a cursor stands for (0 without one); -32602 for anything we did not mint. */
export function cursorOffset(cursor: unknown, kind: string, sealer: Sealer): number {
  if (cursor === undefined) return 0;
  const opened = typeof cursor === 'string' ? sealer.open(cursor, `cursor:${kind}`) : undefined;
  if (typeof opened !== 'number' || !Number.isInteger(opened) || opened < 0) throw invalidParams('Invalid cursor: pass back a nextCursor exactly as received, or omit it to start over');
  return opened;
}

/** The page of `items` starting at `offset`, with the cursor for the next one. */
export function pageAt<T>(items: readonly T[], offset: number, kind: string, pageSize: number, sealer: Sealer): Page<T> {
  if (offset === 0 && items.length <= pageSize) return { items };
  const end = offset + pageSize;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextCursor = sealer.seal(end, `cursor:${kind}`);
  return page;
}

/** Slice `items` at the cursor. */
export function paginate<T>(items: readonly T[], cursor: unknown, kind: string, pageSize: number, sealer: Sealer): Page<T> {
  return pageAt(items, cursorOffset(cursor, kind, sealer), kind, pageSize, sealer);
}
