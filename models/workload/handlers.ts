import type { WorkloadEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';

// Placeholder until workload events land: the scenario helper replaces this file.
export const workloadHandlers: Handlers<WorkloadEvent> = {};
