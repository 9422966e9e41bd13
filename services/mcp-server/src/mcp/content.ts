/**
 * Content blocks a tool or prompt returns, and small helpers to build them.
 * Spec: 2026-07-28 server/tools §Tool Result.
 */

/** Optional annotations on a content block. */
export interface ContentAnnotations {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

/** Plain text. */
export interface TextContent { type: 'text'; text: string; annotations?: ContentAnnotations; _meta?: Record<string, unknown> }
/** Base64 image. */
export interface ImageContent { type: 'image'; data: string; mimeType: string; annotations?: ContentAnnotations; _meta?: Record<string, unknown> }
/** Base64 audio. */
export interface AudioContent { type: 'audio'; data: string; mimeType: string; annotations?: ContentAnnotations; _meta?: Record<string, unknown> }
/** A link to a resource the client may read. */
export interface ResourceLink {
  type: 'resource_link'; uri: string; name: string; title?: string; description?: string; mimeType?: string; size?: number;
  annotations?: ContentAnnotations; _meta?: Record<string, unknown>;
}
/** Resource contents: text or base64 blob. */
export type ResourceContents =
  | { uri: string; mimeType?: string; text: string; _meta?: Record<string, unknown> }
  | { uri: string; mimeType?: string; blob: string; _meta?: Record<string, unknown> };
/** A resource embedded in a result. */
export interface EmbeddedResource { type: 'resource'; resource: ResourceContents; annotations?: ContentAnnotations; _meta?: Record<string, unknown> }

/** Any content block. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** A text block. */
export const text = (value: string): TextContent => ({ type: 'text', text: value });
/** An image block from base64 data. */
export const image = (data: string, mimeType: string): ImageContent => ({ type: 'image', data, mimeType });
/** An audio block from base64 data. */
export const audio = (data: string, mimeType: string): AudioContent => ({ type: 'audio', data, mimeType });
/** A resource link block. */
export const resourceLink = (uri: string, name: string, extra: Partial<Omit<ResourceLink, 'type' | 'uri' | 'name'>> = {}): ResourceLink => ({
  type: 'resource_link', uri, name, ...extra,
});
/** An embedded text resource. */
export const embeddedText = (uri: string, value: string, mimeType = 'text/plain'): EmbeddedResource => ({
  type: 'resource', resource: { uri, mimeType, text: value },
});
/** An embedded binary resource. */
export const embeddedBlob = (uri: string, blob: string, mimeType: string): EmbeddedResource => ({
  type: 'resource', resource: { uri, mimeType, blob },
});
