// Placeholder until the pagecache aggregate lands: its helper replaces this file.
export type PageCacheState = Readonly<Record<string, never>>;
