import type { PageCacheEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';

// Placeholder until the pagecache aggregate lands: its helper replaces this file.
export const pagecacheHandlers: Handlers<PageCacheEvent> = {};
