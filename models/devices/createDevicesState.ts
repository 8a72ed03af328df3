import type { DevicesState } from './state.ts';

// Placeholder until the devices aggregate lands.
export type DevicesConfig = Readonly<Record<string, unknown>>;
export function createDevicesState(_cfg: DevicesConfig): DevicesState {
  return {};
}
