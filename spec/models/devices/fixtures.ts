import { deviceDef, type DeviceInput } from '../../../models/devices/createDevicesState.ts';
import type { AreaView, PlanEnv } from '../../../models/devices/dmaPlan.ts';
import type { DevicesSettings } from '../../../models/devices/state.ts';

export const MiB = 2 ** 20;
export const PAGE = 4096;

export const dev = (d: DeviceInput) => deviceDef(d, 'devices[0]');

export function area(name: string, baseMiB: number, sizeMiB: number, opts: { private?: boolean; freeMiB?: number } = {}): AreaView {
  return { name, basePfn: (baseMiB * MiB) / PAGE, count: (sizeMiB * MiB) / PAGE, freePages: ((opts.freeMiB ?? sizeMiB) * MiB) / PAGE, private: opts.private ?? false };
}

export function env(over: Partial<DevicesSettings> = {}, areas: AreaView[] = [], extra: Partial<PlanEnv> = {}): PlanEnv {
  const settings: DevicesSettings = {
    policy: 'mainline', defaultArea: null, zeroRegions: [], zeroFallback: false, deviceAreaFallback: false, pollNs: 50_000, ...over,
  };
  return { settings, areas: Object.fromEntries(areas.map((a) => [a.name, a])), heaps: {}, regions: {}, maxOrder: 10, pageSize: PAGE, ...extra };
}
