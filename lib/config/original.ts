/**
 * The original series' configuration from a whole command line (`cma=` regions and `cma_map=`
 * rules; everything else is ignored), checked as a whole: every region a rule names must exist.
 * A later `cma=` or `cma_map=` replaces an earlier one (the series re-parsed into the same
 * table). Platform defaults (cma_set_defaults()) apply only where the line gives nothing.
 */
import { ConfigError } from './ConfigError.ts';
import { parseMapAt, type MapSites } from './cmaMap.ts';
import { parseRegionsAt, regionSpan, type RegionSites } from './cmaRegions.ts';
import { regionIndex } from './regionIndex.ts';
import { splitCmdline } from './cmdlineParams.ts';
import { scanner } from './scanner.ts';
import type { MapRule, OriginalConfig, OriginalRegion, PageGeometry } from './types.ts';

export interface OriginalOptions extends Partial<PageGeometry> {
  /** Platform defaults, as cma_set_defaults() gave them; each part is used if the line lacks it. */
  readonly defaults?: Partial<OriginalConfig>;
}

export function parseOriginalCmdline(line: string, opts: OriginalOptions = {}): OriginalConfig {
  let regions: RegionSites | undefined;
  let map: MapSites | undefined;
  for (const p of splitCmdline(line)) {
    if (p.name !== 'cma' && p.name !== 'cma_map') continue;
    const source = p.name === 'cma' ? 'cma_regions' : 'cma_map';
    if (p.value === null) {
      throw new ConfigError({ source, column: p.column + p.name.length, token: '', expected: `'=' after '${p.name}'` });
    }
    const s = scanner(source, p.value, 1, p.valueColumns);
    if (p.name === 'cma') regions = parseRegionsAt(s, opts);
    else map = parseMapAt(s);
  }
  const config: OriginalConfig = {
    regions: regions?.regions ?? [...(opts.defaults?.regions ?? [])],
    map: map?.rules ?? [...(opts.defaults?.map ?? [])],
  };
  if (!regions) validateRegions(config.regions, 'defaults.regions');
  checkRuleRegions(config, map);
  return config;
}

/** The checks parseOriginalCmdline() applies, for configurations built in code. */
export function validateOriginalConfig(config: OriginalConfig): OriginalConfig {
  validateRegions(config.regions, 'regions');
  checkRuleRegions(config, undefined);
  return config;
}

function pathError(path: string, token: string, problem: string): never {
  throw new ConfigError({ source: 'cma_regions', path, token, expected: problem, problem });
}

function validateRegions(regions: readonly OriginalRegion[], path: string): void {
  const index = regionIndex();
  regions.forEach((r, i) => {
    if (index.indexOf(r.name) >= 0) pathError(`${path}[${i}].name`, r.name, `region '${r.name}' is defined twice`);
    if (!(Number.isSafeInteger(r.size) && r.size > 0)) pathError(`${path}[${i}].size`, String(r.size), `region '${r.name}' needs a positive integer size`);
    const hit = index.overlapping(r);
    index.add(r);
    if (hit) pathError(`${path}[${i}].start`, r.name, `region '${r.name}' ${regionSpan(r)} overlaps region '${hit.name}' ${regionSpan(hit)}`);
  });
}

/** A rule naming a region that does not exist is an error now, not a silent skip at run time. */
function checkRuleRegions(config: OriginalConfig, sites: MapSites | undefined): void {
  const known = new Set(config.regions.map((r) => r.name));
  const plain = config.regions.filter((r) => !r.devices).map((r) => r.name);
  config.map.forEach((rule: MapRule, i) => {
    rule.regions.forEach((name, j) => {
      if (known.has(name)) return;
      const problem = `rule ${i + 1} names unknown region '${name}' (defined: ${plain.join(', ') || 'none'})`;
      throw new ConfigError({
        source: 'cma_map',
        ...(sites ? { column: sites.regionColumns[i][j] } : { path: `map[${i}].regions[${j}]` }),
        token: name,
        expected: 'a defined region name',
        problem,
      });
    });
  });
}
