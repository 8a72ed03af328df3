import { ScenarioError } from './check.ts';
import type { MachineSpec } from './sections/machine.ts';
import { formatSize } from './units.ts';

/**
 * Model state per simulated page, an upper estimate: boot state is ~8.5 bytes per page (README,
 * performance table: 34 MiB for a 16 GiB machine), and a full page cache adds its file index and
 * the reclaim index on top. History retention is per event and is not counted here.
 */
export const STATE_BYTES_PER_PAGE = 64;

/** The default budget for a run's model state (CheckOptions.maxMemory sets another). */
export const DEFAULT_MAX_MEMORY = 4 * 2 ** 30;

/** The model state a machine needs, estimated from its page count. */
export function estimateStateBytes(machine: MachineSpec): number {
  const pages = machine.banks.reduce((n, b) => n + b.size / machine.pageSize, 0);
  return pages * STATE_BYTES_PER_PAGE;
}

/**
 * Refuse a machine whose state would not fit the budget, before anything is allocated: a 1 TiB
 * machine would otherwise grow until V8 dies with a fatal error instead of a one-line message.
 */
export function checkMemoryBudget(machine: MachineSpec, source: { readonly ram?: unknown }, maxMemory: number): void {
  const need = estimateStateBytes(machine);
  if (need <= maxMemory) return;
  const total = machine.banks.reduce((n, b) => n + b.size, 0);
  const maxRam = Math.floor(maxMemory / STATE_BYTES_PER_PAGE) * machine.pageSize;
  throw new ScenarioError(source.ram !== undefined ? 'machine.ram' : 'machine.banks', `${formatSize(total)} of RAM needs about ${formatSize(need)} of model state `
    + `(${STATE_BYTES_PER_PAGE} bytes per ${formatSize(machine.pageSize)} page), over the memory budget of ${formatSize(maxMemory)} `
    + `(at most ${formatSize(maxRam)} of RAM)`);
}
