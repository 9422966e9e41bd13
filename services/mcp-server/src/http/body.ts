/**
 * Read a request body with a hard cap: refuse from Content-Length before reading, and stop
 * reading the moment a chunked body passes the cap, so an oversized body is never buffered.
 */
import type { IncomingMessage } from 'node:http';

/** Outcome of reading a body. */
export type BodyResult = { ok: true; text: string } | { ok: false; status: 413 | 400; reason: string };

/** Read the whole body as UTF-8, at most `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.resolve({ ok: false, status: 413, reason: `Request body exceeds the ${limit} byte limit` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => { if (!done) { done = true; resolve(r); } };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 413, reason: `Request body exceeds the ${limit} byte limit` });
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, reason: 'The request body could not be read' }));
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'The request body was aborted' }));
  });
}
