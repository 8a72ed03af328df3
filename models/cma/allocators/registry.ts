/**
 * The allocator registry, as cma_allocator_register() kept one: areas name their allocator and
 * the request machine looks it up here. Registration happens at module load, so the registry's
 * content never depends on run order.
 */
import type { AllocatorState, CmaAllocator } from './allocator.ts';
import { bestFitAllocator } from './bestFit.ts';
import { bitmapAllocator, bitmapReserveAfterAllocator, firstFitAllocator } from './bitmapFamily.ts';

const registry: Record<string, CmaAllocator<AllocatorState>> = {};

/** Add an allocator; refuses a second one under the same name. */
export function registerAllocator<S extends AllocatorState>(a: CmaAllocator<S>): void {
  if (Object.hasOwn(registry, a.name)) throw new Error(`cma allocator '${a.name}' is already registered`);
  registry[a.name] = a as unknown as CmaAllocator<AllocatorState>;
}

export function allocatorNames(): string[] {
  return Object.keys(registry);
}

/** The allocator registered under `name`, or an error listing the known ones. */
export function getAllocator(name: string): CmaAllocator<AllocatorState> {
  const a = registry[name];
  if (!a) throw new Error(`unknown cma allocator '${name}' (known: ${allocatorNames().join(', ')})`);
  return a;
}

registerAllocator(bitmapAllocator);
registerAllocator(bestFitAllocator);
registerAllocator(firstFitAllocator);
registerAllocator(bitmapReserveAfterAllocator);
