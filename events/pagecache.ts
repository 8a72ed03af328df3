import type { EventSchema } from './schema.ts';

// Placeholder until the pagecache aggregate lands: its helper replaces this file.
export type PageCacheEvent = never;
export const pagecacheEventSchema: EventSchema = {};
