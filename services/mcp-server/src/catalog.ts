/**
 * The example catalogue shipped with the service. To add a tool: create a module in
 * src/tools/ that default-exports `defineTool({...})`, then add it to `tools` below.
 */
import type { Lifespan } from './server.js';
import adminResetStats from './tools/admin-reset-stats.js';
import { CalledTools } from './tools/called-tools.js';
import generateReport from './tools/generate-report.js';
import getCalledTools from './tools/get-called-tools.js';
import getPrivateNotes from './tools/get-private-notes.js';
import getTime from './tools/get-time.js';
import getWeather from './tools/get-weather.js';
import whoami from './tools/whoami.js';
import getAdvice from './prompts/get-advice.js';
import help from './prompts/help.js';
import serverInfo from './resources/server-info.js';
import weatherReport from './resources/weather-report.js';

/** Example tools. */
export const tools = [getWeather, getTime, whoami, getCalledTools, getPrivateNotes, adminResetStats, generateReport];
/** Example prompts. */
export const prompts = [getAdvice, help];
/** Example fixed resources. */
export const resources = [serverInfo];
/** Example resource templates. */
export const templates = [weatherReport];

/** Shared state for the examples: created once at start-up. */
export const lifespan: Lifespan = {
  start: () => ({ calledTools: new CalledTools(tools.map((t) => t.name)) }),
};
