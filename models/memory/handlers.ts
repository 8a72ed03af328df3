import type { MemoryEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';

// Placeholder until the memory aggregate lands: its helper replaces this file.
export const memoryHandlers: Handlers<MemoryEvent> = {};
