/**
 * `cma.map`: the original series' `cma_map=` rules (`video/a=a;video/b=b,a;*=common`), parsed and
 * resolved by lib/config. The devices model takes each device's kinds already resolved, so the
 * scenario resolves the map for every (device, kind) the scenario can ask for and hands the
 * region lists over as the devices' `kinds`.
 */
import { ConfigError, resolve, type MapRule } from '../../config/index.ts';
import { parseMapAt } from '../../config/cmaMap.ts';
import { scanner } from '../../config/scanner.ts';
import type { DeviceDef } from '../../../models/devices/state.ts';
import type { GeneratorSpec } from '../../../models/workload/state.ts';
import { hasName, listed, record, ScenarioError, string } from '../check.ts';

/** Parse the rules; every region a rule names must be a CMA area or a size-0 region. */
export function checkCmaMap(v: unknown, path: string, regions: readonly string[]): MapRule[] {
  const text = string(v, path, "cma_map rules ('dev/kind=region,region;...')");
  let sites;
  try {
    sites = parseMapAt(scanner('cma_map', text));
  } catch (e) {
    if (e instanceof ConfigError) throw new ScenarioError(path, e.message.replace(/^cma_map: /, ''));
    throw e;
  }
  sites.rules.forEach((r, i) => r.regions.forEach((name, k) => {
    if (hasName(regions, name)) return;
    throw new ScenarioError(path, `column ${sites.regionColumns[i][k]}: expected a region name (${listed(regions)}), got '${name}'`);
  }));
  return sites.rules;
}

/**
 * The kinds each device can ask for in this scenario, in order of first mention: its buffer
 * set, the buffer sets use cases open it with, recorded device.open / dma.alloc events, and the
 * buffers other devices share with it.
 */
export function kindsUsed(devices: readonly DeviceDef[], workload: readonly GeneratorSpec[]): Record<string, string[]> {
  const used = record<string[]>();
  const add = (device: string, kind: unknown): void => {
    const list = used[device];
    if (list !== undefined && !list.includes(String(kind ?? ''))) list.push(String(kind ?? ''));
  };
  // A shared buffer asks every device that uses it for its kind (planShared intersects their regions).
  const addBuffer = (owner: string, b: { kind?: unknown; shareWith?: unknown }): void => {
    add(owner, b.kind);
    if (Array.isArray(b.shareWith)) for (const u of b.shareWith) add(String(u), b.kind);
  };
  for (const d of devices) used[d.name] = [];
  for (const d of devices) for (const b of d.buffers) addBuffer(d.name, b);
  for (const g of workload) {
    if (g.kind === 'usecase' && g.cases !== null) {
      for (const opens of Object.values(g.cases)) for (const o of opens) for (const b of o.buffers) addBuffer(o.device, b);
    } else if (g.kind === 'replay') {
      for (const { event: e } of g.events) {
        if (e.type === 'dma.alloc') addBuffer(String(e.device), e as { kind?: unknown; shareWith?: unknown });
        else if (e.type === 'device.open' && Array.isArray(e.buffers)) for (const b of e.buffers as object[]) if (typeof b === 'object' && b !== null) addBuffer(String(e.device), b);
      }
    }
  }
  return used;
}

/**
 * Each device's kinds with the map filled in: a kind the device lists in `kinds` keeps its list
 * (and a device whose `kinds` has the catch-all '*' ignores the map); any other kind it uses gets the regions of the first matching rule (resolve(), the series'
 * __cma_where_from()). Kinds no rule matches stay unmapped: cma_alloc fails for them.
 */
export function applyCmaMap(devices: readonly DeviceDef[], rules: readonly MapRule[], used: Readonly<Record<string, readonly string[]>>): DeviceDef[] {
  if (rules.length === 0) return [...devices];
  return devices.map((d) => {
    const kinds = Object.assign(record<readonly string[]>(), d.kinds);
    for (const k of used[d.name] ?? []) {
      if (Object.hasOwn(kinds, k) || Object.hasOwn(kinds, '*')) continue;
      const r = resolve(rules, d.name, k);
      if (r.matched) kinds[k] = [...r.regions];
    }
    return { ...d, kinds };
  });
}
