/**
 * Example slow tool: builds a report in timed steps (about half a second each), reporting
 * progress after every step and stopping as soon as the request is cancelled. It shows
 * `ctx.progress` and `ctx.signal`, and gives the appliance test a call that is still running
 * when the server is asked to stop (graceful drain on SIGTERM). It may run as a task
 * (io.modelcontextprotocol/tasks): a client that declares the extension gets a task handle at
 * once, reads the progress as the task's statusMessage and stops it with tasks/cancel.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool, ToolError } from '../index.js';

/** How long one step of the report takes. */
export const STEP_MS = 500;

export default defineTool({
  name: 'generate_report',
  title: 'Generate report',
  description: 'Writes a short report on a topic in 1-20 steps of about half a second each, with progress notifications.',
  scopes: ['mcp:tools'],
  annotations: { readOnlyHint: true, openWorldHint: false },
  // Plain calls are unchanged; clients with the tasks extension get a task instead.
  task: 'optional',
  input: z.object({
    topic: z.string().trim().min(1).max(100).describe('What the report is about'),
    steps: z.number().int().min(1).max(20).default(5).describe('Number of steps (about 500 ms each)'),
  }),
  output: z.object({
    topic: z.string(),
    steps: z.number().int(),
    sections: z.array(z.string()),
    elapsedMs: z.number().int().nonnegative(),
  }),
  handler: async ({ topic, steps }, ctx) => {
    const started = Date.now();
    const sections: string[] = [];
    for (let step = 1; step <= steps; step++) {
      try {
        // MCP basic/utilities/cancellation: stop working on a cancelled request; the signal
        // also fires when the client disconnects (in a task: on tasks/cancel only).
        await sleep(STEP_MS, undefined, { signal: ctx.signal });
      } catch {
        throw new ToolError(`Report on "${topic}" cancelled after ${step - 1} of ${steps} steps`);
      }
      sections.push(`Section ${step}: ${topic}, part ${step} of ${steps}`);
      // MCP basic/utilities/progress: progress increases with each notification; a no-op
      // unless the client sent a progressToken.
      ctx.progress(step, steps, `step ${step} of ${steps}`);
    }
    ctx.log.info('report generated', { steps });
    return { topic, steps, sections, elapsedMs: Date.now() - started };
  },
});
