/**
 * `npm run bench [engine|memory|history [events] [GiB] [kept|thinned|deltas]|timeouts|cma|explore|open|cli|trace|realistic [budgetSec]|rows [--root DIR] [--full]]`: the benchmarks, printed as a table with their
 * targets. Not part of `npm test`: figures depend on the machine and its load. The npm script
 * runs node with --expose-gc (memory figures) and a larger heap (the 16 GiB memory run).
 */
import { benchCli } from './cli.bench.ts';
import { benchCma } from './cma.bench.ts';
import { benchEngine, benchTimeouts } from './engine.bench.ts';
import { benchDebugger, benchExploreDetail, benchOpenLog } from './explore.bench.ts';
import { benchHistory, benchMemory } from './memory.bench.ts';
import { benchRealistic } from './realistic.bench.ts';
import { DEFAULT_DELTAS } from '../../lib/engine/snapshots.ts';
import { benchTraceImport } from './trace.bench.ts';
import { row } from './row.ts';
import { rowsMain } from './rows.ts';

const only = process.argv[2];
// `rows` (spec/bench/rows.ts) runs issue 12's table, a row per process, on this tree or --root DIR; it is not part of the plain `npm run bench`.
const want = (name: string): boolean => !only || only === name;
if (only === 'rows') await rowsMain(process.argv.slice(3));

if (want('engine')) {
  const r = await benchEngine();
  row('engine: trivial self-rescheduling reducer, log on (events/s)', r.eventsPerSec, '>= 2,000,000');
  row('engine: bytes retained per logged event', r.bytesPerEvent, '<= 100');
  row('engine: stateAt, 1,000,000-event history, p50 (ms)', r.seekP50Ms);
  row('engine: stateAt, 1,000,000-event history, max of 200 (ms)', r.seekMaxMs, '<= 20');
}
if (want('engine') || want('timeouts')) {
  const t = benchTimeouts();
  const fmt = (r: { eventsPerSec: number; eventsPerCpuSec: number }): string => `${r.eventsPerSec.toLocaleString('en')} / ${r.eventsPerCpuSec.toLocaleString('en')}`;
  const ratio = (x: { eventsPerSec: number; eventsPerCpuSec: number }): string => `${(t.engine.eventsPerSec / x.eventsPerSec).toFixed(2)}x / ${(t.engine.eventsPerCpuSec / x.eventsPerCpuSec).toFixed(2)}x`;
  row(`engine: 100 processes of timeouts, ${t.events.toLocaleString('en')} events, log on (events per wall s / CPU s)`, fmt(t.engine));
  row('engine: same, reducer writing outside immer: the engine alone (per wall s / CPU s)', fmt(t.engineOutsideImmer));
  row('engine: same shape, plain mutable JS loop + columnar log (per wall s / CPU s)', fmt(t.plain));
  row('engine: same shape, engine / plain loop (wall / CPU)', ratio(t.plain), '>= 0.8x');
  if (typeof t.simpy === 'string') row('engine: same shape, SimPy', t.simpy);
  else {
    row(`engine: same shape, SimPy ${t.simpy.version} (per wall s / CPU s)`, fmt(t.simpy));
    row('engine: same shape, engine / SimPy (wall / CPU)', ratio(t.simpy), '>= 2x');
  }
}
if (want('memory')) {
  const r = await benchMemory();
  row(`memory: ${r.machineGiB} GiB, page-cache fill to 90% (events/s)`, r.fillEventsPerSec, '>= 500,000');
  row(`memory: ${r.machineGiB} GiB, faults + reclaim + unmovable mix (events/s)`, r.steadyEventsPerSec, '>= 500,000');
  row('memory: page-cache fill, events per CPU second', r.fillEventsPerCpuSec);
  row('memory: faults + reclaim mix, events per CPU second', r.steadyEventsPerCpuSec);
  row('memory: simulated s of the fill / the mix (paced by device reads)', `${r.fillSimSeconds.toFixed(1)} / ${r.steadySimSeconds.toFixed(1)}`);
  row('memory: pages faulted per second in that run', r.pagesFaultedPerSec);
  row('memory: bytes retained per event (state + history)', r.retainedBytesPerEvent);
  row('memory: 16 GiB machine boot (ms)', r.boot16GiBMs);
  row('memory: 16 GiB machine state (MiB)', r.state16GiBMiB);
  row('memory: 16 GiB, bytes retained per event (state + history)', r.retained16BytesPerEvent, '1M events in <= 1 GiB');
  row('memory: 1 GiB all-dirty page cache, allocations failing after reclaim (events/s)', r.dirtyFullEventsPerSec);
}
if (want('history')) {
  // `npm run bench -- history [events] [GiB] [kept|thinned|deltas]`: the same run with every snapshot kept, thinned (the default: kept whole), and thinned as deltas (opt-in), one after the other.
  const events = Number(process.argv[3] ?? 1_000_000), gib = Number(process.argv[4] ?? 16), only = process.argv[5];
  const configs = ([
    ['kept', 'every snapshot kept', null, undefined],
    ['thinned', 'thinned (default)', undefined, undefined],
    ['deltas', 'thinned, kept as deltas (DEFAULT_DELTAS, opt-in)', undefined, DEFAULT_DELTAS],
  ] as const).filter(([k]) => !only || k === only);
  for (const [, name, thinning, deltas] of configs) {
    const r = benchHistory(gib, events, thinning, 10, deltas);
    const label = `history: ${gib} GiB, ${r.events.toLocaleString('en')} events, ${name}`;
    row(`${label}: retained MiB (bytes/event)`, r.retainedMiB === null ? null : `${r.retainedMiB} (${r.retainedBytesPerEvent})`, '1M events <= 1 GiB');
    row(`${label}: snapshots kept`, r.snapshotsKept);
    row(`${label}: stateAt random, p50 / max (ms)`, `${r.seekP50Ms} / ${r.seekMaxMs}`, 'max <= 20');
    row(`${label}: stateAt then back <= 1,024 events, max (ms)`, r.stepBackMaxMs);
  }
}
if (want('cma')) {
  // The old shape (1% pinned, clean pages dropped: mostly pin churn) kept for comparison, then the default, migration shape.
  for (const [shape, pinnedPercent, migrate] of [['1% pinned (pin churn)', 1, false], ['0.01% pinned, page cache migrated (migration)', 0.01, true]] as const) {
    const r = await benchCma({ pinnedPercent, migrate });
    row(`cma: 8 GiB, 1 GiB area, 90% page cache, 4 devices, ${shape} (events/s)`, r.eventsPerSec, '>= 500,000');
    row(`cma: ${shape}: events per CPU second`, r.eventsPerCpuSec);
    row(`cma: ${shape}: events that migrate / pin churn`, `${(100 * r.migrationShare).toFixed(1)}% / ${(100 * r.pinShare).toFixed(1)}%`);
    row(`cma: ${shape}: page-cache fill phase (events/s)`, r.fillEventsPerSec);
    row(`cma: ${shape}: allocations / failed / busy retries / pages migrated`, `${r.allocations} / ${r.failed} / ${r.busyRetries} / ${r.pagesMigrated}`);
    row(`cma: ${shape}: simulated latency p50 / p90 / p99 / max (ms)`, `${r.latencyMs.p50.toFixed(1)} / ${r.latencyMs.p90.toFixed(1)} / ${r.latencyMs.p99.toFixed(1)} / ${r.latencyMs.max.toFixed(1)}`);
  }
}
if (want('realistic')) {
  for (const r of benchRealistic(Number(process.argv[3] ?? 120))) {
    const ran = r.completed ? `${r.untilSeconds} s` : `${r.simSeconds.toFixed(1)} of ${r.untilSeconds} s (wall budget)`;
    row(`realistic: ${r.name}, ${ran}: simulated s per wall s`, Number(r.simPerWall.toFixed(3)));
    row(`realistic: ${r.name}: wall s, events, peak RSS MiB`, `${r.wallSeconds.toFixed(1)} / ${r.events} / ${r.peakRssMiB}`);
    row(`realistic: ${r.name}: CPU s, simulated s per CPU s`, `${r.cpuSeconds.toFixed(1)} / ${r.simPerCpu.toFixed(3)}`);
  }
}
if (want('explore')) {
  const r = await benchExploreDetail();
  row('explore: race 3, exhaustive, checks after every event (runs/s)', r.runsPerSec, '>= 1,000');
  row('explore: race 3, exhaustive, no per-event checks (runs/s)', r.runsPerSecNoChecks);
  row('explore: race 3, random strategy (runs/s)', r.randomRunsPerSec);
  const d = await benchDebugger();
  const worst = Object.entries(d).sort((a, b) => b[1] - a[1])[0];
  row(`debug: slowest command on a 1,000,000-event log (ms): ${worst[0]}`, worst[1], '< 1,000');
}
if (want('explore') || want('open')) {
  const o = benchOpenLog();
  const w = (t: { ms: number; cpuMs: number }): string => `${t.ms.toLocaleString('en')} / ${t.cpuMs.toLocaleString('en')}`;
  row(`debug: open a ${o.events.toLocaleString('en')}-event log (${o.logMiB} MiB): parse, check fields and chain (ms wall / CPU)`, w(o.parse));
  row('debug: then replay it all, as opening did before (ms wall / CPU)', w(o.eagerReplay));
  row('debug: or read it lazily, as opening does now (ms wall / CPU)', w(o.lazyOpen), 'open <= 10 s');
  row('debug: lazily opened: goto 1,000 before the end, the replay once (ms wall / CPU)', w(o.gotoNearEnd));
  row('debug: then fork + delay there (ms wall / CPU)', w(o.forkDelayNearEnd), '< 1,000');
}
if (want('cli')) {
  const r = benchCli();
  row('cli: cma-sim --version, median of 11 spawns (s)', r.versionS.toFixed(3), '< 0.3');
  row('cli: node -e 0, the same way, for scale (s)', r.nodeS.toFixed(3));
}
if (want('trace')) {
  const r = benchTraceImport();
  row(`trace: import the real 3.3 MB 6.1 trace, ${r.lines.toLocaleString('en')} lines, best of 5 (ms)`, r.importMs, '< 500');
}
