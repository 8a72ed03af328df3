import type { EventSchema } from './schema.ts';

// Placeholder until the workload aggregate lands: its helper replaces this file.
export type WorkloadEvent = never;
export const workloadEventSchema: EventSchema = {};
