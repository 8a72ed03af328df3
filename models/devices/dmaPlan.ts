/**
 * The DMA layer's choice of where memory comes from, as an ordered plan of sources tried one
 * after another at run time. Pure: it sees the devices, the areas' placement and the settings,
 * never the areas' momentary contents (that is what trying a step finds out).
 */
import { NO_LIMIT, type BufferSpec, type DeviceDef, type DevicesSettings, type HeapDef, type PrivateRegion, type SourceStep } from './state.ts';

/** What the planner needs to know about a CMA area (or an original-framework region). */
export interface AreaView {
  readonly name: string;
  readonly basePfn: number;
  /** Pages. */
  readonly count: number;
  /** Pages free now (for cma_info). */
  readonly freePages: number;
  /** Reserved and never lent (the series' @private, a carve-out). */
  readonly private: boolean;
}

export interface PlanEnv {
  readonly settings: DevicesSettings;
  readonly areas: Readonly<Record<string, AreaView>>;
  readonly heaps: Readonly<Record<string, HeapDef>>;
  readonly regions: Readonly<Record<string, PrivateRegion>>;
  /** Highest buddy order (MAX_ORDER - 1 in today's naming): larger contiguous requests need CMA. */
  readonly maxOrder: number;
  readonly pageSize: number;
}

/** First pfn `dev` cannot address (its DMA mask + 1, in pages). */
export function limitPfnOf(dev: DeviceDef, pageSize: number): number {
  // Past 2^53 bytes the limit cannot be exact, and no machine has that much memory.
  return dev.dmaBits >= 53 ? NO_LIMIT : Math.floor(2 ** dev.dmaBits / pageSize);
}

/** Whether `dev` allocates through the original framework's per-kind region lists. */
export function usesMap(dev: DeviceDef, settings: DevicesSettings): boolean {
  return settings.policy === 'original' || (settings.policy === 'auto' && Object.keys(dev.kinds).length > 0);
}

export type Plan =
  | {
    readonly ok: true; readonly steps: readonly SourceStep[]; readonly contiguous: boolean; readonly limitPfn: number;
    /** Alignment (page order) the CMA steps ask for; set by planBuffer. */
    readonly align?: number;
  }
  | { readonly ok: false; readonly error: string; readonly constraint: string };

/** get_order(): the smallest order whose block holds `pages`. */
export function orderOf(pages: number): number {
  let o = 0;
  while (2 ** o < pages) o++;
  return o;
}

const fail = (constraint: string, error: string): Plan => ({ ok: false, constraint, error });

/** CONFIG_CMA_ALIGNMENT's default: DMA allocations align to their size up to 2^8 pages (1 MiB). */
export const CMA_ALIGNMENT = 8;

/**
 * The alignment the DMA layer passes to cma_alloc: cma_alloc_aligned() (kernel/dma/contiguous.c)
 * and the dma-buf CMA heap align to get_order(size) capped at CONFIG_CMA_ALIGNMENT; the original
 * framework's callers gave their own alignment.
 */
export function dmaCmaAlign(pages: number, asked: number): number {
  return Math.max(asked, Math.min(orderOf(pages), CMA_ALIGNMENT));
}

/** Whether any page of `area` lies below `limitPfn` (a range there may still pass dma_coherent_ok). */
function reachable(area: AreaView, limitPfn: number): boolean {
  return area.basePfn < limitPfn;
}

/** A contiguous fallback from the page allocator, when the order fits (dma-direct's alloc_pages). */
function buddyStep(pages: number, env: PlanEnv, why: string): SourceStep[] {
  return orderOf(pages) <= env.maxOrder ? [{ from: 'buddy', why }] : [];
}

/**
 * Mainline dma_alloc_attrs for one device (kernel/dma/contiguous.c dma_alloc_contiguous, then
 * kernel/dma/direct.c __dma_direct_alloc_pages): the device's own area if it has one, else -- for
 * more than one page -- the default area; then plain pages from the buddy allocator if the order
 * allows. A device behind an IOMMU takes discontiguous pages (dma-iommu's remap path).
 */
export function planMainline(dev: DeviceDef, pages: number, env: PlanEnv): SourceStep[] {
  if (dev.iommu) return [{ from: 'scatter', why: `${dev.name} is behind an IOMMU: discontiguous pages` }];
  const steps: SourceStep[] = [];
  const def = env.settings.defaultArea;
  if (dev.area !== null) {
    steps.push({ from: 'cma', area: dev.area, why: `${dev.name}'s own area (dev->cma_area)` });
    // Mainline returns the own area's result as is; only the 2024 proposal falls through.
    if (env.settings.deviceAreaFallback && def !== null && def !== dev.area && pages > 1) {
      steps.push({ from: 'cma', area: def, why: 'default area after the own area (deviceAreaFallback)' });
    }
  } else if (pages <= 1) {
    // dma_alloc_contiguous: a single page is not worth a CMA allocation.
  } else if (def !== null) {
    steps.push({ from: 'cma', area: def, why: 'default CMA area' });
  }
  const oneNote = dev.area === null && pages <= 1 ? 'one page bypasses CMA' : 'dma-direct falls back to the page allocator';
  steps.push(...buddyStep(pages, env, oneNote));
  return steps;
}

/** The regions the original framework tries for (device, kind): the resolved map, in order. */
export function regionsFor(dev: DeviceDef, kind: string): readonly string[] {
  return dev.kinds[kind] ?? dev.kinds['*'] ?? [];
}

/**
 * The original framework's cma_alloc(dev, kind, size, align): each region of the resolved list in
 * order. A size-0 region holds nothing; with `zeroFallback` it stands for the normal allocator.
 */
export function planOriginal(dev: DeviceDef, kind: string, pages: number, env: PlanEnv): Plan {
  const regions = regionsFor(dev, kind);
  const label = `${dev.name}/${kind === '' ? 'common' : kind}`;
  if (regions.length === 0) return fail('map', `no cma_map rule gives a region for ${label}`);
  const steps: SourceStep[] = [];
  for (const r of regions) {
    if (env.settings.zeroRegions.includes(r)) {
      if (!env.settings.zeroFallback) continue;
      if (dev.iommu) steps.push({ from: 'scatter', why: `size-0 region '${r}' falls back to the normal allocator` });
      else steps.push(...buddyStep(pages, env, `size-0 region '${r}' falls back to the normal allocator`));
      continue;
    }
    if (!Object.hasOwn(env.areas, r)) return fail('map', `${label} maps to region '${r}', which does not exist`);
    steps.push({ from: 'cma', area: r, why: `cma_map ${label} -> ${regions.join(',')}` });
  }
  if (steps.length === 0) return fail('size-0', `${label} maps only to size-0 regions (${regions.join(',')}) and zeroFallback is off`);
  return { ok: true, steps, contiguous: !dev.iommu, limitPfn: dev.iommu ? NO_LIMIT : limitPfnOf(dev, env.pageSize) };
}

/** Ion/dma-buf heaps: a carve-out is a private area, a CMA heap a shared one, the system heap plain pages. */
export function planHeap(heap: HeapDef, env: PlanEnv): Plan {
  if (heap.type === 'system') return { ok: true, steps: [{ from: 'scatter', why: `system heap '${heap.name}'` }], contiguous: false, limitPfn: NO_LIMIT };
  const area = heap.area === null ? undefined : env.areas[heap.area];
  if (area === undefined) return fail('heap', `heap '${heap.name}' names area '${heap.area}', which does not exist`);
  if (heap.type === 'carveout' && !area.private) return fail('heap', `carve-out heap '${heap.name}' needs a private area, '${area.name}' is shared`);
  return { ok: true, steps: [{ from: 'cma', area: area.name, why: `${heap.type} heap '${heap.name}'` }], contiguous: true, limitPfn: NO_LIMIT };
}

/** The areas `dev` may take contiguous memory from, in its order of preference. */
export function usableAreas(dev: DeviceDef, kind: string, env: PlanEnv): readonly string[] {
  if (usesMap(dev, env.settings)) return regionsFor(dev, kind).filter((r) => Object.hasOwn(env.areas, r));
  const def = env.settings.defaultArea;
  if (dev.area === null) return def === null ? [] : [def];
  return env.settings.deviceAreaFallback && def !== null && def !== dev.area ? [dev.area, def] : [dev.area];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * One buffer for several devices: inside every DMA mask of the devices that see physical
 * addresses, contiguous if any of them lacks an IOMMU, from an area all of those may use (an
 * IOMMU device can map any page, so it restricts nothing). Fails naming the unmet constraint.
 */
export function planShared(devs: readonly DeviceDef[], kind: string, pages: number, env: PlanEnv): Plan {
  const physical = devs.filter((d) => !d.iommu);
  const names = devs.map((d) => d.name).join(', ');
  if (physical.length === 0) return { ok: true, steps: [{ from: 'scatter', why: `every user (${names}) is behind an IOMMU` }], contiguous: false, limitPfn: NO_LIMIT };
  const tightest = physical.reduce((a, d) => (d.dmaBits < a.dmaBits ? d : a));
  const limitPfn = limitPfnOf(tightest, env.pageSize);
  let common = usableAreas(physical[0], kind, env);
  for (const d of physical.slice(1)) {
    const mine = usableAreas(d, kind, env);
    common = common.filter((a) => mine.includes(a));
  }
  if (common.length === 0) {
    const each = physical.map((d) => `${d.name}: [${usableAreas(d, kind, env).join(', ')}]`).join('; ');
    return fail('area', `shared buffer for ${names}: no CMA area that every device needing contiguity may use (${each})`);
  }
  const inside = common.filter((a) => reachable(env.areas[a], limitPfn));
  const steps: SourceStep[] = inside.map((a) => ({ from: 'cma', area: a, why: `area usable by ${physical.map((d) => d.name).join(', ')}` }));
  steps.push(...buddyStep(pages, env, `page allocator below the ${tightest.dmaBits}-bit mask`));
  if (steps.length === 0) {
    return fail('dma-mask', `shared buffer for ${names}: areas [${common.join(', ')}] lie above ${tightest.name}'s ${tightest.dmaBits}-bit DMA mask (limit ${hex(limitPfn * env.pageSize)})`);
  }
  return { ok: true, steps, contiguous: true, limitPfn };
}

/**
 * The whole plan for one buffer of `owner`: a private region or a heap when the buffer names one,
 * a shared plan when other devices use it too, else the policy's single-device plan.
 */
export function planBuffer(owner: DeviceDef, spec: BufferSpec, users: readonly DeviceDef[], pages: number, env: PlanEnv): Plan {
  const p = choosePlan(owner, spec, users, pages, env);
  if (!p.ok) return p;
  const own = spec.region !== null || (spec.heap !== null && env.heaps[spec.heap]?.type === 'carveout')
    || (users.length <= 1 && spec.heap === null && usesMap(owner, env.settings));
  return { ...p, align: own ? spec.align : dmaCmaAlign(pages, spec.align) };
}

function choosePlan(owner: DeviceDef, spec: BufferSpec, users: readonly DeviceDef[], pages: number, env: PlanEnv): Plan {
  if (spec.region !== null) {
    const r = env.regions[spec.region];
    if (r === undefined) return fail('region', `${owner.name}: private region '${spec.region}' is not registered`);
    if (r.owner !== owner.name) return fail('region', `private region '${r.name}' belongs to ${r.owner}, not ${owner.name}`);
    return { ok: true, steps: [{ from: 'private', region: r.name, why: `private region of ${r.owner}` }], contiguous: true, limitPfn: NO_LIMIT };
  }
  if (spec.heap !== null) {
    const h = env.heaps[spec.heap];
    return h === undefined ? fail('heap', `${owner.name}: no heap named '${spec.heap}'`) : planHeap(h, env);
  }
  if (users.length > 1) return planShared(users, spec.kind, pages, env);
  if (usesMap(owner, env.settings)) return planOriginal(owner, spec.kind, pages, env);
  const steps = planMainline(owner, pages, env);
  if (steps.length === 0) return fail('max-order', `${owner.name}: ${pages} pages exceed MAX_ORDER and no CMA area serves the device`);
  return { ok: true, steps, contiguous: !owner.iommu, limitPfn: owner.iommu ? NO_LIMIT : limitPfnOf(owner, env.pageSize) };
}
