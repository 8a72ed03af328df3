// Placeholder until the cma aggregate lands: its helper replaces this file.
export type CmaState = Readonly<Record<string, never>>;
