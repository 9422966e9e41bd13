/**
 * Newline-delimited message framing with a per-message cap (stdio transport: messages are
 * delimited by newlines and MUST NOT contain embedded newlines). A line over the cap is
 * reported once and skipped up to its newline, never buffered whole.
 */

/** Calls `onLine` per complete line and `onOversize` once per line over the cap. */
export function createLineReader(maxBytes: number, onLine: (line: string) => void, onOversize: () => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let size = 0;
  let discarding = false;
  return function push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (discarding) { discarding = false; continue; }
      if (size + piece.length > maxBytes) { parts = []; size = 0; onOversize(); continue; }
      const line = (parts.length ? Buffer.concat([...parts, piece]) : piece).toString('utf8').replace(/\r$/, '');
      parts = [];
      size = 0;
      if (line.trim().length > 0) onLine(line);
    }
    if (start < chunk.length && !discarding) {
      const rest = chunk.subarray(start);
      if (size + rest.length > maxBytes) { parts = []; size = 0; discarding = true; onOversize(); return; }
      parts.push(Buffer.from(rest));
      size += rest.length;
    }
  };
}
