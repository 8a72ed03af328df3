import type { CmaEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';

// Placeholder until the cma aggregate lands: its helper replaces this file.
export const cmaHandlers: Handlers<CmaEvent> = {};
