/**
 * The original series' region list (2010-2011 CMA patches, cma_param_parse_entry()):
 *
 *   regions ::= [ region { (';' | ',') region } [ ';' | ',' ] ]
 *   region  ::= NAME [ '/' DEVICE { ',' DEVICE } ] '=' size [ '@' start ] [ '/' align ]
 *               [ ':' [ ALLOCATOR ] [ '(' PARAMS ')' ] ]
 *
 * The series itself separated regions with ';' only; its documentation and reviewers also wrote
 * ','. Both are accepted: a ',' can never be part of a region entry except inside the reviewers'
 * device list, which is closed by its '=' (so `banka/foo,bar=30M` is one entry), or inside
 * `(params)`. The `NAME/devices=` prefix is the reviewers' proposed form (Hans Verkuil,
 * 2010): a region of memory kind NAME set aside for those devices.
 *
 * Rounding as the series did it: size up to a page, an alignment below a page (or none) becomes
 * a page, start up to the alignment; size 0 and a non-power-of-two alignment are rejected.
 */
import { alignUp, geometryOf, isPowerOfTwo } from './geometry.ts';
import { hex, memparse } from './memparse.ts';
import { regionIndex, type RegionIndex } from './regionIndex.ts';
import { atEnd, columnAt, fail, peek, reject, scanner, takeWhile, type Scanner } from './scanner.ts';
import type { OriginalRegion, PageGeometry } from './types.ts';

export const NAME_CHAR = /[A-Za-z0-9_.-]/;
export const DEVICE_CHAR = /[A-Za-z0-9_.:-]/;

/** Where each region was written, for errors found after parsing. */
export interface RegionSites {
  readonly regions: OriginalRegion[];
  readonly columns: number[];
}

export function parseCmaRegions(text: string, opts: Partial<PageGeometry> = {}): OriginalRegion[] {
  return parseRegionsAt(scanner('cma_regions', text), opts).regions;
}

export function parseRegionsAt(s: Scanner, opts: Partial<PageGeometry>): RegionSites {
  const g = geometryOf(opts);
  const regions: OriginalRegion[] = [];
  const columns: number[] = [];
  const index = regionIndex();
  while (!atEnd(s)) {
    const at = s.pos;
    const region = parseEntry(s, g.pageSize);
    const dup = index.indexOf(region.name);
    if (dup >= 0) reject(s, at, region.name, `region '${region.name}' is defined twice (first at column ${columns[dup]})`);
    checkOverlap(s, at, region, index);
    index.add(region);
    regions.push(region);
    columns.push(columnAt(s, at));
    if (atEnd(s)) break;
    if (peek(s) !== ';' && peek(s) !== ',') fail(s, `';', ',' or end of value after region '${region.name}'`);
    s.pos++;
  }
  return { regions, columns };
}

function parseEntry(s: Scanner, pageSize: number): OriginalRegion {
  const name = takeWhile(s, NAME_CHAR);
  if (!name) fail(s, 'a region name (letters, digits, _ . -)');
  let devices: string[] | undefined;
  if (peek(s) === '/') {
    s.pos++;
    devices = [];
    for (;;) {
      const dev = takeWhile(s, DEVICE_CHAR);
      if (!dev) fail(s, `a device name in the device list of '${name}'`);
      devices.push(dev);
      if (peek(s) !== ',') break;
      s.pos++;
    }
  }
  if (peek(s) !== '=') fail(s, `'=' after region name '${name}'`);
  s.pos++;
  const sizeAt = s.pos;
  const size = memparse(s, `size of region '${name}'`);
  if (size === 0) reject(s, sizeAt, s.text.slice(sizeAt, s.pos), `region '${name}' has size 0 (the series requires a non-zero size)`);
  let start = 0;
  if (peek(s) === '@') {
    s.pos++;
    start = memparse(s, `start of region '${name}'`);
  }
  let alignment = 0;
  if (peek(s) === '/') {
    s.pos++;
    const at = s.pos;
    alignment = memparse(s, `alignment of region '${name}'`);
    if (alignment !== 0 && !isPowerOfTwo(alignment)) {
      reject(s, at, s.text.slice(at, s.pos), `alignment '${s.text.slice(at, s.pos)}' of region '${name}' is not a power of two`);
    }
  }
  let allocator: string | undefined;
  let allocatorParams: string | undefined;
  if (peek(s) === ':') {
    s.pos++;
    allocator = takeWhile(s, NAME_CHAR) || undefined;
    if (peek(s) === '(') {
      s.pos++;
      const close = s.text.indexOf(')', s.pos);
      if (close < 0) fail(s, `')' closing the parameters of allocator '${allocator ?? ''}'`, s.text.length, '');
      allocatorParams = s.text.slice(s.pos, close);
      s.pos = close + 1;
    }
  }
  const align = alignment ? alignUp(alignment, pageSize) : pageSize;
  const alignedStart = alignUp(start, align);
  const alignedSize = alignUp(size, pageSize);
  if (!Number.isSafeInteger(alignedStart + alignedSize)) {
    reject(s, sizeAt, s.text.slice(sizeAt, s.pos), `region '${name}' ends beyond 2^53 - 1`);
  }
  return {
    name: devices ? `${name}/${devices.join(',')}` : name,
    size: alignedSize,
    ...(alignedStart !== 0 && { start: alignedStart }),
    alignment: align,
    ...(allocator !== undefined && { allocator }),
    ...(allocatorParams !== undefined && { allocatorParams }),
    ...(devices && { kind: name, devices }),
  };
}

export function regionSpan(x: OriginalRegion): string {
  return `[${hex(x.start ?? 0)}, ${hex((x.start ?? 0) + x.size)})`;
}

/** Regions with a start are placed exactly there; two of them must not share a byte. */
function checkOverlap(s: Scanner, at: number, r: OriginalRegion, earlier: RegionIndex): void {
  const hit = earlier.overlapping(r);
  if (hit) reject(s, at, r.name, `region '${r.name}' ${regionSpan(r)} overlaps region '${hit.name}' ${regionSpan(hit)}`);
}
