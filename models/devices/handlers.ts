import { castDraft, type Draft } from 'immer';
import type { DeviceBufferInput, DeviceEvent, DeviceWorkInput } from '../../events/index.ts';
import type { Ctx, Handlers } from '../context.ts';
import type { SimDraft } from '../state.ts';
import { freeBuffer, pageSizeOf, pollBuffer, startBuffer } from './bufferFlow.ts';
import { bufferSpec, workSpec } from './createDevicesState.ts';
import { newRegion } from './privateRegion.ts';
import type { DeviceState } from './state.ts';
import { switchUseCase } from './useCases.ts';
import { endWork, startWork } from './work.ts';

type D = SimDraft;

/** The device named by an event; an unknown name is a scenario bug and says so. */
export function deviceOf(d: D, type: string, name: string): Draft<DeviceState> {
  const dev = d.devices.devices[name];
  if (dev === undefined) throw new RangeError(`${type}: no device named '${name}' (known: ${Object.keys(d.devices.devices).join(', ') || 'none'})`);
  return dev;
}

/** open(): allocate the buffer set and, if the driver works periodically, schedule its first operation. */
export function openDevice(d: D, ctx: Ctx, name: string, buffers?: readonly DeviceBufferInput[], work?: DeviceWorkInput): void {
  const dev = deviceOf(d, 'device.open', name);
  if (dev.open) return;
  dev.open = true;
  dev.session++;
  dev.counters.opens++;
  const specs = buffers === undefined ? dev.def.buffers : buffers.map((b, i) => bufferSpec(b, `device.open(${name}).buffers[${i}]`));
  dev.work = castDraft(work === undefined ? dev.def.work : workSpec(work, `device.open(${name}).work`));
  for (const spec of specs) startBuffer(d, ctx, dev.def, spec);
  if (dev.work !== null) ctx.schedule({ type: 'device.work', device: name, session: dev.session }, dev.work.period);
}

/** release(): end the operation in flight (unpin), then free every buffer. */
export function closeDevice(d: D, ctx: Ctx, name: string): void {
  const dev = deviceOf(d, 'device.close', name);
  if (!dev.open) return;
  endWork(d, ctx, name);
  for (const id of [...dev.buffers]) freeBuffer(d, ctx, id);
  dev.open = false;
  dev.counters.closes++;
}

export const devicesHandlers: Handlers<DeviceEvent> = {
  'device.open': (d, e, ctx) => openDevice(d, ctx, e.device, e.buffers, e.work),
  'device.close': (d, e, ctx) => closeDevice(d, ctx, e.device),
  'device.work': (d, e, ctx) => startWork(d, ctx, e),
  'device.work.done': (d, e, ctx) => {
    if (deviceOf(d, e.type, e.device).session === e.session) endWork(d, ctx, e.device);
  },
  'device.poll': (d, e, ctx) => pollBuffer(d, ctx, e.buffer),
  'usecase.switch': (d, e, ctx) => switchUseCase(d, ctx, e.to, openDevice, closeDevice),
  'dma.alloc': (d, e, ctx) => {
    const dev = deviceOf(d, e.type, e.device);
    const { type: _t, device: _d, ...input } = e;
    startBuffer(d, ctx, dev.def, bufferSpec(input, `dma.alloc(${e.device})`));
  },
  'dma.free': (d, e, ctx) => {
    const dev = deviceOf(d, e.type, e.device);
    const id = dev.buffers.find((b) => d.devices.buffers[b].name === e.name);
    if (id === undefined) throw new RangeError(`dma.free: ${e.device} holds no buffer named '${e.name}'`);
    freeBuffer(d, ctx, id);
  },
  'device.region.register': (d, e) => {
    deviceOf(d, e.type, e.device);
    const ps = pageSizeOf(d);
    if (e.base % ps !== 0 || e.size % ps !== 0 || e.size <= 0) {
      throw new RangeError(`device.region.register: base and size must be positive multiples of the page size (${ps}), got base ${e.base} size ${e.size}`);
    }
    if (Object.hasOwn(d.devices.regions, e.region) || Object.hasOwn(d.cma.areas, e.region)) {
      throw new RangeError(`device.region.register: a region named '${e.region}' already exists`);
    }
    d.devices.regions[e.region] = castDraft(newRegion(e.region, e.device, e.base / ps, e.size / ps));
  },
};
