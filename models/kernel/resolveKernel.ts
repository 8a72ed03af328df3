/**
 * A scenario's `kernel` setting to a profile: a version string, or `{ version?, <field>: value }`
 * overriding single fields of that version (default DEFAULT_KERNEL). Errors name the field.
 */
import { DEFAULT_KERNEL, FIELD_VALUES, KERNEL_VERSIONS, type KernelOverrides, type KernelProfile, type KernelSetting, type KernelVersion } from './profile.ts';
import { PROFILES } from './profiles.ts';

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function versionOf(v: unknown, where: string): KernelVersion {
  if (typeof v === 'string' && (KERNEL_VERSIONS as readonly string[]).includes(v)) return v as KernelVersion;
  throw new Error(`${where}: expected one of ${KERNEL_VERSIONS.join(', ')}, got ${show(v)}`);
}

/** One override checked against FIELD_VALUES; returns the value to store. */
function checkField(field: string, v: unknown, where: string): unknown {
  if (!Object.hasOwn(FIELD_VALUES, field)) {
    throw new Error(`${where}: unknown profile field '${field}' (fields: version, ${Object.keys(FIELD_VALUES).join(', ')})`);
  }
  const spec = FIELD_VALUES[field as keyof KernelOverrides];
  const at = `${where}.${field}`;
  if ('values' in spec) {
    if (!spec.values.includes(v)) throw new Error(`${at}: expected one of ${spec.values.map(show).join(', ')}, got ${show(v)}`);
    return v;
  }
  if (!Array.isArray(v)) throw new Error(`${at}: expected a list of ${spec.list.join(', ')}`);
  v.forEach((x, i) => {
    if (!spec.list.includes(x)) throw new Error(`${at}[${i}]: expected one of ${spec.list.join(', ')}, got ${show(x)}`);
  });
  return [...v];
}

export function resolveKernel(setting: KernelSetting | undefined | null, where = 'kernel'): KernelProfile {
  if (setting === undefined || setting === null) return PROFILES[DEFAULT_KERNEL];
  if (typeof setting === 'string') return PROFILES[versionOf(setting, where)];
  if (typeof setting !== 'object' || Array.isArray(setting)) throw new Error(`${where}: expected a kernel version string or { version, <field>: value }`);
  const base = PROFILES[setting.version === undefined ? DEFAULT_KERNEL : versionOf(setting.version, `${where}.version`)];
  const out: Record<string, unknown> = { ...base };
  for (const k of Object.keys(setting)) if (k !== 'version') out[k] = checkField(k, setting[k], where);
  return out as unknown as KernelProfile;
}

/** The profile a boot log names (`Linux version 6.1.0-56-arm64 ...`): the newest profile not newer than it. */
export function profileForRelease(release: string): KernelVersion | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return null;
  const want = Number(m[1]) * 1000 + Number(m[2]);
  let best: KernelVersion | null = null;
  for (const v of KERNEL_VERSIONS) {
    if (v === 'series') continue;
    const [a, b] = v.split('.').map(Number);
    if (a * 1000 + b <= want) best = v;
  }
  return best;
}
