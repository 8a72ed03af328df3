/**
 * Which kernel profile a trace came from: the boot log's `Linux version <release>` when there is
 * one, otherwise the newest profile printing the trace's CMA event format.
 */
import { KERNEL_VERSIONS, type KernelVersion, type TraceFormat } from '../../models/kernel/profile.ts';
import { PROFILES } from '../../models/kernel/profiles.ts';
import { profileForRelease } from '../../models/kernel/resolveKernel.ts';

export interface PickedKernel {
  readonly version: KernelVersion;
  /** Why, as the summary prints it. */
  readonly reason: string;
}

/** Profiles whose trace format is one of `formats`, oldest first. */
export function kernelsForFormats(formats: readonly TraceFormat[]): KernelVersion[] {
  return KERNEL_VERSIONS.filter((v) => formats.includes(PROFILES[v].traceFormat));
}

/** `Linux version 6.1.0-56-arm64 (...)` of a boot log, or null. */
export function releaseFromDmesg(text: string): string | null {
  return /Linux version (\S+)/.exec(text)?.[1] ?? null;
}

export function pickKernel(formats: readonly TraceFormat[], bootLog: string | null): PickedKernel | null {
  const release = bootLog === null ? null : releaseFromDmesg(bootLog);
  const fromLog = release === null ? null : profileForRelease(release);
  if (fromLog !== null) {
    const agrees = formats.length === 0 || formats.includes(PROFILES[fromLog].traceFormat);
    return { version: fromLog, reason: `boot log: Linux version ${release}${agrees ? '' : `, though the trace's cma lines are in the ${formats.join('/')} format`}` };
  }
  const fits = kernelsForFormats(formats);
  if (fits.length === 0) return null;
  return { version: fits[fits.length - 1], reason: `trace format ${formats[0]} (kernels ${fits.join(', ')}; no boot log)` };
}
