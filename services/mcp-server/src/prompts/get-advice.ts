/** Example prompt: ask for advice on a topic, optionally with actionable steps. */
import { z } from 'zod';
import { definePrompt } from '../index.js';

const TOPICS = ['career', 'health', 'learning', 'productivity', 'security', 'writing'];

export default definePrompt({
  name: 'get_advice',
  title: 'Get advice',
  description: 'Advice on a topic, with or without actionable steps.',
  scopes: ['mcp:prompts'],
  arguments: z.object({
    topic: z.string().trim().min(1).max(200).describe('What the advice is about'),
    actionable: z.enum(['true', 'false']).optional().describe('"true" for a numbered list of concrete steps'),
  }),
  complete: {
    topic: (value) => TOPICS.filter((t) => t.startsWith(value.toLowerCase())),
    actionable: (value) => ['true', 'false'].filter((v) => v.startsWith(value)),
  },
  handler: ({ topic, actionable }) => {
    const steps = actionable === 'true'
      ? ' End with a numbered list of three to five concrete steps the reader can take this week.'
      : ' Keep it to a short, encouraging paragraph.';
    return {
      description: `Advice on ${topic}`,
      messages: [{ role: 'user', content: { type: 'text', text: `Give me practical advice about ${topic}.${steps}` } }],
    };
  },
});
