/**
 * Example 7 -- one buffer shared by a camera (32-bit DMA mask, no IOMMU: needs physically
 * contiguous memory below 4 GiB) and a GPU behind an IOMMU (maps any pages). The 2013 request to
 * make DMA allocation work for more than one device: the buffer must satisfy both, so it lands in
 * the CMA area below 4 GiB. Then an ISP (also 32-bit) fills that range, and the next shared
 * buffer finds no contiguous memory the camera can address: the failure names the constraint.
 * A second variant places the only CMA area above 4 GiB: the plan fails at once, naming the mask.
 */
import { defineScenario, type Scenario } from '../lib/scenario/index.ts';
import type { BufferRecord } from '../models/devices/state.ts';
import type { SimState } from '../models/state.ts';
import { at, MiB, MS, open, runExample, table, type ExampleRun, runIfMain } from './exampleRun.ts';

const FRAME = 24 * MiB;

function build(name: string, areaBank: 'low' | 'high'): Scenario {
  return defineScenario({
    name,
    description: 'A buffer shared by a 32-bit camera and an IOMMU GPU; then the 32-bit range fills up',
    seed: 1,
    until: '400ms',
    machine: { banks: [{ name: 'low', base: '0x80000000', size: '512M' }, { name: 'high', base: '0x100000000', size: '1G' }] },
    cma: { areas: [{ name: 'reserved', size: '96M', bank: areaBank, default: true }] },
    devices: [{ name: 'camera', dmaBits: 32 }, { name: 'gpu', iommu: true }, { name: 'isp', dmaBits: 32 }],
    workload: [{
      name: 'drivers', generator: 'replay', events: [
        open(0, 'camera', [{ name: 'shared0', size: FRAME, shareWith: ['gpu'] }]),
        // The ISP takes what is left of the 32-bit CMA range (and a little more than it can get).
        at(100 * MS, { type: 'dma.alloc', device: 'isp', name: 'raw0', size: 48 * MiB }),
        at(101 * MS, { type: 'dma.alloc', device: 'isp', name: 'raw1', size: 16 * MiB }),
        at(200 * MS, { type: 'dma.alloc', device: 'camera', name: 'shared1', size: FRAME, shareWith: ['gpu'] }),
        // A buffer only the GPU uses needs neither contiguity nor the 32-bit range.
        at(300 * MS, { type: 'dma.alloc', device: 'gpu', name: 'texture', size: FRAME }),
      ],
    }],
  });
}

export const scenario = build('07-shared-camera-gpu', 'low');
export const aboveMaskScenario = build('07-shared-camera-gpu-area-above-4g', 'high');

export function buffers(state: SimState): BufferRecord[] {
  return Object.values(state.devices.buffers).sort((a, b) => a.id - b.id);
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function where(b: BufferRecord, pageSize = 4096): string {
  const w = b.where;
  if (w === null) return b.status;
  if (w.from === 'cma') return `CMA '${w.area}' at ${hex(w.pfn * pageSize)}-${hex((w.pfn + b.pages) * pageSize)}`;
  if (w.from === 'private') return `private '${w.region}' at ${hex(w.pfn * pageSize)}`;
  return `${w.pfns.length} ${w.from === 'buddy' ? 'contiguous block' : 'discontiguous blocks'} from ${hex(Math.min(...w.pfns) * pageSize)}`;
}

export function report(runs: readonly { title: string; run: ExampleRun }[]): string {
  const out: string[] = [];
  for (const { title, run } of runs) {
    out.push(title);
    out.push(table([
      ['buffer', 'users', 'contiguous', 'status', 'where / why not'],
      ...buffers(run.state).map((b) => [`${b.owner}/${b.name}`, b.users.join('+'), b.contiguous ? 'yes' : 'no', b.status, b.error ?? where(b)]),
    ]));
    out.push('');
  }
  return out.join('\n');
}

export function main(): void {
  console.log(report([
    { title: 'CMA area below 4 GiB (inside the camera\'s 32-bit mask):', run: runExample(scenario) },
    { title: 'CMA area above 4 GiB (outside it):', run: runExample(aboveMaskScenario) },
  ]));
}

runIfMain(import.meta.url, main);
