// Placeholder until the devices aggregate lands: its helper replaces this file.
export type DevicesState = Readonly<Record<string, never>>;
