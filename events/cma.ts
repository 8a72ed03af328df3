import type { EventSchema } from './schema.ts';

// Placeholder until the cma aggregate lands: its helper replaces this file.
export type CmaEvent = never;
export const cmaEventSchema: EventSchema = {};
