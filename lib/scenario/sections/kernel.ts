import { resolveKernel } from '../../../models/kernel/resolveKernel.ts';
import type { KernelSetting } from '../../../models/kernel/profile.ts';
import { ScenarioError } from '../check.ts';

/** The `kernel` field: a profile version or { version, <field>: value }, checked by models/kernel. */
export function checkKernel(v: unknown, path: string): KernelSetting {
  try {
    resolveKernel(v as KernelSetting, path);
  } catch (e) {
    const m = /^([\w.[\]]+):\s*(.*)$/s.exec((e as Error).message);
    throw m ? new ScenarioError(m[1], m[2]) : e;
  }
  return v as KernelSetting;
}
