import { childPath } from '../jsonPath.ts';
import { array, boolean, int, knownKeys, object, opt, ref, req, string, uniqueNames } from '../check.ts';

/** The `devices` section: who allocates, which kinds of memory they ask for and from where. */
export interface DeviceSpec {
  readonly name: string;
  /** Kind of memory -> area it comes from (the early framework's per-kind regions). */
  readonly kinds: Readonly<Record<string, string>>;
  /** Addressable bits (DMA mask width). */
  readonly dmaBits: number;
  readonly iommu: boolean;
  /** The device's own area (mainline `dev->cma_area`). */
  readonly area: string | null;
}

export function checkDevices(v: unknown, path: string, areas: readonly string[]): DeviceSpec[] {
  const list = array(v ?? [], path, 'a list of devices').map((d, i) => checkDevice(d, childPath(path, i), areas));
  uniqueNames(list, path);
  return list;
}

function checkDevice(v: unknown, path: string, areas: readonly string[]): DeviceSpec {
  const o = object(v, path, 'a device { name, kinds, ... }');
  knownKeys(o, path, ['name', 'kinds', 'dmaBits', 'iommu', 'area']);
  const kp = childPath(path, 'kinds');
  const kinds: Record<string, string> = {};
  for (const [k, area] of Object.entries(object(o.kinds ?? {}, kp, 'an object mapping kinds to region names'))) {
    kinds[k] = ref(area, childPath(kp, k), 'a region name', areas);
  }
  return {
    name: req(o, 'name', path, string),
    kinds,
    dmaBits: opt(o, 'dmaBits', path, (x, p) => int(x, p, 12, 64), 64),
    iommu: opt(o, 'iommu', path, boolean, false),
    area: opt(o, 'area', path, (x, p) => ref(x, p, 'a region name', areas), null),
  };
}
