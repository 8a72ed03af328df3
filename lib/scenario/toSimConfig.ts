import type { SimConfig } from '../../models/initialState.ts';
import { createInitialState } from '../../models/initialState.ts';
import type { SimState } from '../../models/state.ts';
import { ScenarioError } from './check.ts';
import type { Scenario } from './scenario.ts';

/**
 * The one place that maps checked scenario sections onto the models' boot configuration
 * (MachineConfig, CmaConfig, DevicesConfig, WorkloadConfig).
 */
export function toSimConfig(s: Scenario): SimConfig {
  const m = s.machine;
  const c = s.cma;
  const d = s.dma;
  return {
    // The kernel profile; cma.lockMode, cma.discardClean and machine.cmaFallback override its fields when set.
    ...(s.kernel !== null ? { kernel: s.kernel } : {}),
    machine: {
      banks: m.banks.map((b) => ({ name: b.name, base: b.base, size: b.size, ...(b.zone !== undefined ? { zone: b.zone } : {}) })),
      pageSize: m.pageSize, maxOrder: m.maxOrder, pageblockOrder: m.pageblockOrder,
      ...(m.cmaFallback !== null ? { cmaFallback: m.cmaFallback } : {}),
      ...(m.minFreeKbytes !== undefined ? { minFreeKbytes: m.minFreeKbytes } : {}),
    },
    cpu: {
      ...(m.cpus !== undefined ? { cpus: m.cpus } : {}), ...(m.load !== undefined ? { load: m.load } : {}),
      ...(m.cpuContention !== undefined ? { contention: m.cpuContention } : {}),
      ...(m.hz !== undefined ? { hz: m.hz } : {}),
    },
    pagecache: {
      // Absent: the page-cache model's default, the kernel's dirty_expire_centisecs (30 s).
      ...(s.pagecache.dirtyExpireNs !== null ? { dirtyExpireNs: s.pagecache.dirtyExpireNs } : {}),
      ...(s.pagecache.writebackPerPageNs !== null ? { writebackPerPageNs: s.pagecache.writebackPerPageNs } : {}),
      ...(s.pagecache.readPerPageNs !== null ? { readPerPageNs: s.pagecache.readPerPageNs } : {}),
    },
    cma: {
      ...(c.lockMode !== null ? { lockMode: c.lockMode } : {}), ...(c.discardClean !== null ? { discardClean: c.discardClean } : {}), areasMax: c.areasMax, defrag: c.defrag, migrateBatch: c.migrateBatch, costs: s.costs,
      areas: c.areas.map((a) => ({
        name: a.name, size: a.size, alignment: a.alignment, orderPerBit: a.orderPerBit, private: a.private, ...(a.allocator !== null ? { allocator: a.allocator } : {}), default: a.default,
        ...(a.allocatorParams !== null ? { allocatorParams: a.allocatorParams } : {}),
        ...(a.base !== null ? { base: a.base } : {}),
        ...(a.range !== null ? { allocRange: { start: a.range[0], end: a.range[1] } } : {}),
        ...(a.bank !== null ? { bank: a.bank } : {}),
      })),
    },
    devices: {
      devices: s.devices, policy: d.policy, heaps: d.heaps, useCases: d.useCases,
      zeroRegions: d.zeroRegions, zeroFallback: d.zeroFallback, deviceAreaFallback: d.deviceAreaFallback,
      // Without an override the devices model takes the area CMA boots with `default: true`.
      ...(d.defaultArea !== null ? { defaultArea: d.defaultArea } : {}),
      ...(d.pollNs !== null ? { pollNs: d.pollNs } : {}),
    },
    workload: { generators: s.workload },
  };
}

/**
 * Boot the scenario's machine. The models check their own configuration and name the field in
 * their messages (`machine.banks[1].base: ...`, `cma.areas[0]: ...`); such errors become
 * ScenarioErrors at that path, so a file error can still point at the line.
 */
export function bootScenario(s: Scenario): SimState {
  try {
    return createInitialState(toSimConfig(s));
  } catch (e) {
    if (!(e instanceof Error) || e instanceof ScenarioError) throw e;
    const m = /^((?:machine|cma|devices|workload|costs|heaps|useCases)(?:\.[\w$-]+|\[\d+\])*):\s*(.*)$/s.exec(e.message);
    // The devices model names its top-level lists as DevicesConfig has them; the scenario keeps them under `dma`.
    if (m) throw new ScenarioError(/^(heaps|useCases)\b/.test(m[1]) ? `dma.${m[1]}` : m[1], m[2]);
    throw new ScenarioError('', `the models refused this configuration: ${e.message}`);
  }
}
