import type { EventSchema } from './schema.ts';

// Placeholder until the devices aggregate lands: its helper replaces this file.
export type DeviceEvent = never;
export const devicesEventSchema: EventSchema = {};
