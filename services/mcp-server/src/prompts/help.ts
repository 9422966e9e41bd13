/** Example prompt: explains what this server offers, from the live catalogue the caller may see. */
import { definePrompt } from '../index.js';

export default definePrompt({
  name: 'help',
  title: 'Help',
  description: 'What this server can do for you and how to use it.',
  handler: (_args, ctx) => {
    const scopes = ctx.principal.scopes.length > 0 ? ctx.principal.scopes.join(', ') : 'none';
    return {
      description: 'How to use this MCP server',
      messages: [{
        role: 'user',
        content: {
          type: 'text',
          text: [
            'Explain to me, briefly, how to use this MCP server.',
            'It offers tools (get_weather, get_time, whoami, get_called_tools, and scope-protected ones),',
            'prompts (get_advice, help) and resources (info://server, weather://{location}).',
            `I am signed in as ${ctx.principal.subject} with scopes: ${scopes}.`,
            'Tools that need a scope I lack are hidden; asking for that scope at sign-in unlocks them.',
          ].join(' '),
        },
      }],
    };
  },
});
