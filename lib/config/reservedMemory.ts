/**
 * The kernel's reading of `reserved-memory` children (drivers/of/of_reserved_mem.c and
 * kernel/dma/contiguous.c rmem_cma_setup, kernel/dma/coherent.c rmem_dma_setup):
 * - the block's #address-cells/#size-cells size every reg/size/alignment/alloc-ranges value and
 *   must be present, with `ranges` (__reserved_mem_check_root);
 * - `reg` wins over `size`: a node with `reg` is placed there and its size/alignment/alloc-ranges
 *   are not read; `alignment` is #address-cells long, `size` #size-cells;
 * - a node with `status` other than "okay"/"ok" is skipped;
 * - a `shared-dma-pool` that is `reusable` is CMA: it must not be `no-map`, and its base and size
 *   must be multiples of CMA_MIN_ALIGNMENT_BYTES (a dynamic one gets its alignment raised to
 *   that); without `reusable` it is a coherent per-device pool, modelled as a private area;
 * - with `cma=` on the command line (opts.cmdlineCma) the linux,cma-default node is bypassed.
 * Stricter than the kernel (which logs and skips): a node with neither reg nor size, a zero
 * size, `linux,cma-default` on a non-CMA node, and two default nodes are errors.
 */
import { cellsOf, cellsValue, dtFail, prop, stringsOf, type DtNode, type DtProp, type DtWhere } from './dtTree.ts';
import { cmaMinAlignment, geometryOf } from './geometry.ts';
import { hex } from './memparse.ts';
import type { DtArea, DtOptions } from './types.ts';

const SRC = 'reserved-memory';

function cellCount(block: DtNode, name: string, root: number | undefined): number {
  const p = prop(block, name);
  if (!p) dtFail(SRC, block.where, block.name, `'${name}' in the reserved-memory node`, `reserved-memory node lacks '${name}' (the kernel ignores the whole block)`);
  const c = cellsOf(p);
  if (c.length !== 1 || c[0] < 1 || c[0] > 2) dtFail(SRC, p.where, p.name, `'${name}' = <1> or <2>`);
  if (root !== undefined && c[0] !== root) dtFail(SRC, p.where, p.name, `'${name}' equal to the root's (${root})`, `'${name}' is ${c[0]} but the root node's is ${root}`);
  return c[0];
}

/** Split a property into (address, size) pairs of the block's cell sizes. */
function pairs(p: DtProp, ac: number, sc: number): { base: number; size: number }[] {
  const c = cellsOf(p);
  const w = ac + sc;
  if (c.length === 0 || c.length % w !== 0) {
    dtFail(SRC, p.where, p.name, `'${p.name}' made of <address size> pairs of ${ac}+${sc} cells`, `invalid '${p.name}' property: ${c.length} cells is not a multiple of ${ac}+${sc}`);
  }
  const out: { base: number; size: number }[] = [];
  for (let i = 0; i < c.length; i += w) out.push({ base: cellsValue(c.slice(i, i + ac), p), size: cellsValue(c.slice(i + ac, i + w), p) });
  return out;
}

function single(p: DtProp, n: number, what: string): number {
  const c = cellsOf(p);
  if (c.length !== n) dtFail(SRC, p.where, p.name, `'${p.name}' of ${n} cell(s) (${what})`, `invalid '${p.name}' property: ${c.length} cell(s), expected ${n} (${what})`);
  return cellsValue(c, p);
}

export function reservedMemoryAreas(block: DtNode, opts: DtOptions = {}): DtArea[] {
  const g = geometryOf(opts);
  const cmaAlign = cmaMinAlignment(g);
  const ac = cellCount(block, '#address-cells', opts.rootAddressCells);
  const sc = cellCount(block, '#size-cells', opts.rootSizeCells);
  if (!prop(block, 'ranges')) dtFail(SRC, block.where, block.name, "'ranges' in the reserved-memory node", "reserved-memory node lacks 'ranges' (the kernel ignores the whole block)");
  const areas: DtArea[] = [];
  const names = new Set<string>();
  let defaultAt: DtWhere | undefined;
  for (const node of block.children) {
    const status = prop(node, 'status');
    if (status && !['okay', 'ok'].includes(stringsOf(status)[0] ?? '')) continue;
    const area = bypassDefault(nodeArea(node, ac, sc, cmaAlign), opts);
    if (area.default) {
      if (defaultAt) dtFail(SRC, prop(node, 'linux,cma-default')!.where, node.name, 'one linux,cma-default node', `'${node.name}' is a second linux,cma-default node`);
      defaultAt = node.where;
    }
    if (names.has(area.name)) dtFail(SRC, node.where, node.name, 'unique node names', `node '${node.name}' is defined twice`);
    names.add(area.name);
    areas.push(area);
  }
  return areas;
}

function bypassDefault(a: DtArea, opts: DtOptions): DtArea {
  return opts.cmdlineCma && a.default ? { ...a, kind: 'reserved', default: false, private: true } : a;
}

function nodeArea(node: DtNode, ac: number, sc: number, cmaAlign: number): DtArea {
  const compatibleProp = prop(node, 'compatible');
  const compatible = compatibleProp ? stringsOf(compatibleProp) : [];
  const reusable = prop(node, 'reusable') !== undefined;
  const noMap = prop(node, 'no-map') !== undefined;
  const defaultProp = prop(node, 'linux,cma-default');
  const pool = compatible.includes('shared-dma-pool');
  const cma = pool && reusable;
  const kind = cma ? 'cma' : pool ? 'dma-pool' : 'reserved';
  if (cma && noMap) dtFail(SRC, prop(node, 'no-map')!.where, node.name, "no 'no-map' on a CMA region", `CMA region '${node.name}' (reusable) must not be 'no-map'`);
  if (defaultProp && !cma) {
    dtFail(SRC, defaultProp.where, node.name, 'linux,cma-default only on a reusable shared-dma-pool', `'linux,cma-default' on '${node.name}', which is not a CMA region (needs compatible "shared-dma-pool" and 'reusable')`);
  }
  const regProp = prop(node, 'reg');
  const sizeProp = prop(node, 'size');
  let placement: { size: number; base?: number; alignment?: number; allocRanges?: { base: number; size: number }[] };
  let where: DtWhere;
  if (regProp) {
    // Only the first (address, size) pair becomes the area; the kernel reserves any others plainly.
    const first = pairs(regProp, ac, sc)[0];
    placement = first;
    where = regProp.where;
  } else if (sizeProp) {
    const alignProp = prop(node, 'alignment');
    const rangesProp = prop(node, 'alloc-ranges');
    let alignment = alignProp ? single(alignProp, ac, '#address-cells') : undefined;
    if (cma) alignment = Math.max(alignment ?? 0, cmaAlign);
    placement = {
      size: single(sizeProp, sc, '#size-cells'),
      ...(alignment !== undefined && { alignment }),
      ...(rangesProp && { allocRanges: pairs(rangesProp, ac, sc) }),
    };
    where = sizeProp.where;
  } else {
    return dtFail(SRC, node.where, node.name, "'reg' or 'size'", `node '${node.name}' has neither 'reg' nor 'size'`);
  }
  if (placement.size === 0) dtFail(SRC, where, node.name, 'a non-zero size', `node '${node.name}' has size 0`);
  if (cma && ((placement.base ?? 0) % cmaAlign !== 0 || placement.size % cmaAlign !== 0)) {
    dtFail(SRC, where, node.name, `base and size multiples of ${hex(cmaAlign)}`, `incorrect alignment of CMA region '${node.name}': base and size must be multiples of ${hex(cmaAlign)} (a pageblock)`);
  }
  return {
    name: node.name,
    compatible,
    kind,
    ...placement,
    reusable,
    noMap,
    default: defaultProp !== undefined,
    private: !cma,
  };
}
