import type { EventSchema } from './schema.ts';

// Placeholder until the memory aggregate lands: its helper replaces this file.
export type MemoryEvent = never;
export const memoryEventSchema: EventSchema = {};
