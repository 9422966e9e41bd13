/** Prompts, resources and the resource template the suite reads (docs/conformance-fixtures.md §1). */
import { z } from 'zod';
import { embeddedText, image, text } from '../../services/mcp-server/src/mcp/content.js';
import { definePrompt, defineResource, defineResourceTemplate } from '../../services/mcp-server/src/mcp/define.js';
import { PNG_1X1 } from './media.js';

export const prompts = [
  definePrompt({
    name: 'test_simple_prompt',
    description: 'A simple prompt without arguments',
    handler: () => 'This is a simple prompt for testing.',
  }),
  definePrompt({
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: z.object({ arg1: z.string().describe('First test argument'), arg2: z.string().describe('Second test argument') }),
    complete: {
      arg1: (value) => ['test', 'testing', 'tested', 'value'].filter((v) => v.startsWith(value)),
    },
    handler: ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
  }),
  definePrompt({
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    arguments: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    handler: ({ resourceUri }) => ({
      messages: [
        { role: 'user', content: embeddedText(resourceUri, 'Embedded resource content for testing.') },
        { role: 'user', content: text('Please process the embedded resource above.') },
      ],
    }),
  }),
  definePrompt({
    name: 'test_prompt_with_image',
    description: 'A prompt that includes an image',
    handler: () => ({
      messages: [
        { role: 'user', content: image(PNG_1X1, 'image/png') },
        { role: 'user', content: text('Please analyze the image above.') },
      ],
    }),
  }),
];

export const resources = [
  defineResource({
    uri: 'test://static-text',
    name: 'static-text',
    description: 'A static text resource',
    mimeType: 'text/plain',
    read: () => 'This is the content of the static text resource.',
  }),
  defineResource({
    uri: 'test://static-binary',
    name: 'static-binary',
    description: 'A static binary resource (PNG)',
    mimeType: 'image/png',
    read: () => Buffer.from(PNG_1X1, 'base64'),
  }),
  defineResource({
    uri: 'test://watched-resource',
    name: 'watched-resource',
    description: 'A resource clients may subscribe to',
    mimeType: 'text/plain',
    read: () => 'Watched resource content.',
  }),
];

export const templates = [
  defineResourceTemplate({
    uriTemplate: 'test://template/{id}/data',
    name: 'template-data',
    description: 'Data for an id',
    mimeType: 'application/json',
    read: (uri, { id }) => [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }],
  }),
];
