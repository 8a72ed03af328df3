import { formatAddress, formatBytes } from './memparse.ts';
import type { MapPattern, MapRule, OriginalConfig, OriginalRegion } from './types.ts';

/** One region entry; alignment is omitted when it is the one-page default it reads back as. */
export function printRegion(r: OriginalRegion, pageSize = 4096): string {
  let out = r.devices && r.kind !== undefined ? `${r.kind}/${r.devices.join(',')}` : r.name;
  out += `=${formatBytes(r.size)}`;
  if (r.start !== undefined) out += `@${formatAddress(r.start)}`;
  if (r.alignment !== pageSize) out += `/${formatBytes(r.alignment)}`;
  if (r.allocator !== undefined || r.allocatorParams !== undefined) {
    out += `:${r.allocator ?? ''}`;
    if (r.allocatorParams !== undefined) out += `(${r.allocatorParams})`;
  }
  return out;
}

export function printCmaRegions(regions: readonly OriginalRegion[], pageSize = 4096): string {
  return regions.map((r) => printRegion(r, pageSize)).join(';');
}

function printPattern(p: MapPattern): string {
  return (p.device ?? '') + (p.kind !== null ? `/${p.kind}` : '');
}

export function printCmaMap(rules: readonly MapRule[]): string {
  return rules.map((r) => `${r.patterns.map(printPattern).join(',')}=${r.regions.join(',')}`).join(';');
}

/** `cma=... cma_map=...`, which parseOriginalCmdline() reads back to the same configuration. */
export function printOriginalCmdline(c: OriginalConfig, pageSize = 4096): string {
  const words: string[] = [];
  if (c.regions.length) words.push(`cma=${printCmaRegions(c.regions, pageSize)}`);
  if (c.map.length) words.push(`cma_map=${printCmaMap(c.map)}`);
  return words.join(' ');
}
