/**
 * Which regions serve (device, kind): the original series' __cma_where_from(). Rules are tried
 * in order and the first matching pattern decides. A pattern without a kind part matches only
 * requests without a kind (the series' code; its prose said "any kind", its code and examples
 * did not). A pattern without a device part (`/kind`) matches when the device matched the
 * nearest earlier pattern that had one; when no earlier pattern had one it matches any device
 * (the series' code would match nothing there; we follow this project's spec, issue 5).
 */
import type { MapRule, OriginalConfig, ResolveResult } from './types.ts';

/** '?' matches any one character, a final '*' the rest (including nothing). */
export function matchPattern(pattern: string, text: string): boolean {
  const star = pattern.endsWith('*');
  const fixed = star ? pattern.slice(0, -1) : pattern;
  if (star ? text.length < fixed.length : text.length !== fixed.length) return false;
  for (let i = 0; i < fixed.length; i++) {
    if (fixed[i] !== '?' && fixed[i] !== text[i]) return false;
  }
  return true;
}

/** `kind` undefined, null and '' are the same: a request that names no kind. */
export function resolve(map: readonly MapRule[], device: string, kind?: string | null): ResolveResult {
  const k = kind ?? '';
  let deviceMatched: boolean | null = null; // null: no pattern with a device part seen yet
  for (let r = 0; r < map.length; r++) {
    for (const p of map[r].patterns) {
      if (p.device !== null) deviceMatched = matchPattern(p.device, device);
      if (deviceMatched === false) continue;
      if (p.kind === null ? k === '' : matchPattern(p.kind, k)) return { matched: true, regions: map[r].regions, rule: r };
    }
  }
  return { matched: false };
}

/**
 * The rules in force for a configuration. Regions written in the reviewers' form
 * (`kind/dev1,dev2=size`) come first: those devices' requests for that kind go to that region.
 * Then, as the reviewers described it, a plain region named after such a kind serves every
 * other device asking for that kind (device pattern `*`). Then the explicit cma_map rules.
 */
export function effectiveMap(config: OriginalConfig): MapRule[] {
  const dedicated = config.regions.filter((r) => r.devices && r.kind !== undefined);
  const implied: MapRule[] = dedicated.map((r) => ({ patterns: r.devices!.map((d) => ({ device: d, kind: r.kind! })), regions: [r.name] }));
  const kinds = [...new Set(dedicated.map((r) => r.kind!))];
  for (const k of kinds) {
    if (config.regions.some((r) => r.name === k)) implied.push({ patterns: [{ device: '*', kind: k }], regions: [k] });
  }
  return [...implied, ...config.map];
}
