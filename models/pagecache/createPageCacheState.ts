import type { PageCacheState } from './state.ts';

// Placeholder until the page-cache aggregate lands: its helper replaces this file.
export type PageCacheConfig = Readonly<Record<string, unknown>>;
export function createPageCacheState(_cfg: PageCacheConfig): PageCacheState {
  return {};
}
