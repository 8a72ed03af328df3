// Placeholder until the memory aggregate lands: its helper replaces this file.
export type MemoryState = Readonly<Record<string, never>>;
