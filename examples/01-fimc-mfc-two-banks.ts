/**
 * Example 1 -- Samsung S5PV210: three FIMC devices and the MFC video codec on two DRAM banks.
 *
 * The MFC takes firmware and bitstream buffers from bank A ('a' kind) and frame buffers from bank
 * B ('b' kind), the original framework's per-kind regions. HD decode (one MFC instance + FIMC0
 * for display) and a video call (2 x SD decode + SD encode, FIMC1 capturing, FIMC2 previewing) are
 * mutually exclusive use cases sharing the same regions. Between them the codec is idle and the
 * page cache spreads into the regions (MIGRATE_CMA pageblocks are lent to movable pages), so
 * every switch pays to migrate or drop those pages first: the report shows that cost per switch.
 */
import type { DeviceBufferInput } from '../events/index.ts';
import { defineScenario } from '../lib/scenario/index.ts';
import type { SimState } from '../models/state.ts';
import { close, MiB, ms, MS, open, pageCacheIn, quantile, requests, runExample, summarize, table, type ExampleRun, runIfMain } from './exampleRun.ts';

const S = 1000 * MS;
/** 1920x1088 NV12 frame and 720x576 NV12 frame, rounded up to whole pages. */
const HD = 3_133_440;
const SD = 622_592;

const bufs = (prefix: string, n: number, size: number, kind: string): DeviceBufferInput[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, size, kind }));

/** HD decode: one instance, a decoded-picture buffer of 8 HD frames; FIMC0 converts for display. */
const hdDecode = (t: number) => [
  open(t, 'mfc', [{ name: 'fw', size: MiB, kind: 'a' }, { name: 'bitstream', size: 2 * MiB, kind: 'a' }, ...bufs('dpb', 8, HD, 'b')],
    { period: 33 * MS, duration: 25 * MS }),
  open(t, 'fimc0', bufs('out', 3, HD, 'b'), { period: 33 * MS, duration: 6 * MS }),
];

/** Video call: two SD decoders and one SD encoder in the MFC; FIMC1 captures, FIMC2 previews. */
const videoCall = (t: number) => [
  open(t, 'mfc', [
    { name: 'fw', size: MiB, kind: 'a' }, ...bufs('bitstream', 3, MiB, 'a'),
    ...bufs('dec0-dpb', 5, SD, 'b'), ...bufs('dec1-dpb', 5, SD, 'b'), ...bufs('enc-ref', 3, SD, 'b'),
  ], { period: 33 * MS, duration: 28 * MS }),
  open(t, 'fimc1', bufs('cap', 4, SD, 'b'), { period: 33 * MS, duration: 10 * MS }),
  open(t, 'fimc2', bufs('prev', 3, SD, 'b'), { period: 33 * MS, duration: 5 * MS }),
];

const closeAll = (t: number, devs: string[]) => devs.map((d) => close(t, d));

/** When each use case starts; the codec is idle in between. */
export const SWITCHES = [
  { at: 2.5 * S, to: 'HD decode' },
  { at: 5 * S, to: 'video call' },
  { at: 7.5 * S, to: 'HD decode' },
] as const;

export const scenario = defineScenario({
  name: '01-fimc-mfc-two-banks',
  description: 'S5PV210: FIMC x3 + MFC on two DRAM banks; HD decode and video call share the regions; page cache fills them while idle',
  seed: 7,
  until: '8.5s',
  machine: { banks: [{ name: 'bank0', base: '0x20000000', size: '128M' }, { name: 'bank1', base: '0x40000000', size: '128M' }] },
  cma: {
    lockMode: 'series',
    areas: [
      { name: 'video-a', size: '16M', bank: 'bank0', allocator: 'best-fit' },
      { name: 'video-b', size: '48M', bank: 'bank1', allocator: 'best-fit' },
    ],
  },
  devices: [
    { name: 'mfc', kinds: { a: 'video-a', b: 'video-b' } },
    { name: 'fimc0', kinds: { b: 'video-b' } },
    { name: 'fimc1', kinds: { b: 'video-b' } },
    { name: 'fimc2', kinds: { b: 'video-b' } },
  ],
  workload: [
    { name: 'files', generator: 'pagecache', rate: 600, files: 6, fileSize: '48M', readahead: [16, 64], dirty: 0.2 },
    {
      name: 'use-cases', generator: 'replay', events: [
        ...hdDecode(SWITCHES[0].at), ...closeAll(3.5 * S, ['fimc0', 'mfc']),
        ...videoCall(SWITCHES[1].at), ...closeAll(6 * S, ['fimc2', 'fimc1', 'mfc']),
        ...hdDecode(SWITCHES[2].at),
      ],
    },
  ],
});

export interface SwitchCost {
  readonly at: number;
  readonly to: string;
  /** Page-cache pages inside the two regions just before the switch. */
  readonly lent: number;
  readonly requests: number;
  readonly failed: number;
  readonly pages: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly migrationNs: number;
  readonly worstLatencyNs: number;
  /** From the switch until the last buffer of the use case was ready. */
  readonly readyNs: number;
}

export interface Example1Run extends ExampleRun {
  /** Page-cache pages in the regions 1 ms before each switch. */
  readonly lentBefore: readonly number[];
}

const REGIONS = ['video-a', 'video-b'];

/** Run the scenario, looking at the regions just before each switch. */
export function run1(): Example1Run {
  const lentBefore: number[] = [];
  const run = runExample(scenario, {
    sample: {
      every: 500 * MS,
      fn: (st, now) => {
        if (SWITCHES.some((sw) => sw.at === now + 500 * MS)) lentBefore.push(REGIONS.reduce((a, r) => a + pageCacheIn(st, r), 0));
      },
    },
  });
  return { ...run, lentBefore };
}

/** The CMA work each switch caused: requests submitted in the second after it. */
export function switchCosts(state: SimState, lentBefore: readonly number[] = []): SwitchCost[] {
  return SWITCHES.map((sw, i) => {
    const rs = requests(state, (r) => r.submittedAt >= sw.at && r.submittedAt < sw.at + S);
    const s = summarize(rs);
    const lastReady = Math.max(sw.at, ...rs.map((r) => r.finishedAt ?? sw.at));
    return {
      at: sw.at, to: sw.to, lent: lentBefore[i] ?? 0, requests: s.count, failed: s.failed, pages: s.pages, migrated: s.migrated, dropped: s.dropped,
      migrationNs: s.migrationNs, worstLatencyNs: quantile(s.latencyNs, 1), readyNs: lastReady - sw.at,
    };
  });
}

export function report(run: Example1Run): string {
  return `${scenario.name}: ${run.events} events, ${ms(run.now)} simulated\n\n${switchReport(run.state, run.lentBefore)}`;
}

/** The switch-cost table and bank split: what this example is for. */
function switchReport(st: SimState, lentBefore: readonly number[]): string {
  const rows = switchCosts(st, lentBefore).map((c) => [
    `${(c.at / S).toFixed(1)} s -> ${c.to}`, c.lent, c.requests, c.failed, c.pages, c.migrated, c.dropped, ms(c.migrationNs), ms(c.worstLatencyNs), ms(c.readyNs),
  ]);
  const mfc = requests(st, (r) => r.requester === 'mfc' && r.status === 'done');
  const inArea = (a: string) => mfc.filter((r) => r.area === a).length;
  return [
    'Migration cost per use-case switch (page cache had spread into the regions while the codec was idle):',
    table([['switch', 'lent pages', 'requests', 'failed', 'pages', 'migrated', 'dropped', 'migration', 'worst alloc', 'all ready'], ...rows]),
    '',
    `'lent pages': page-cache pages inside video-a + video-b 500 ms before the switch.`,
    `MFC buffers per bank: bank0 (video-a) ${inArea('video-a')}, bank1 (video-b) ${inArea('video-b')}; buffer failures (all devices): ${st.devices.counters.failures}`,
    `hardware operations: ${Object.entries(st.devices.devices).map(([n, d]) => `${n} ${d.counters.operations}`).join(', ')}`,
  ].join('\n');
}

/**
 * Appended by `cma-sim run` to this scenario's text report: the same table, with the lent pages
 * read from the run's history instead of sampled during it.
 */
export function reportSection(history: { stateAtTime(t: number): { model: SimState }; stateAt(seq: number): { model: SimState }; lastSeq: number }): string {
  const lent = SWITCHES.map((sw) => REGIONS.reduce((a, r) => a + pageCacheIn(history.stateAtTime(sw.at - 500 * MS).model, r), 0));
  return switchReport(history.stateAt(history.lastSeq).model, lent);
}

export function main(): void {
  console.log(report(run1()));
}

runIfMain(import.meta.url, main);

export default scenario;
