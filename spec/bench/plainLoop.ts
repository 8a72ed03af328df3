/**
 * The yardstick the engine is compared with (issue 12): the same 100-process timeouts shape as a
 * hand-written simulator would run it, with mutable state, a binary heap over parallel arrays
 * ordered by (time, priority, insertion) and a columnar log (time, priority, origin, event). No
 * snapshots, no time travel, no immutability: what the engine's features cost is the gap.
 */
export interface PlainLoopResult {
  readonly events: number;
  readonly ms: number;
  /** CPU time of the process over the loop (user + system), ms: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  /** Final state, so a test can check the loop dispatched what the engine does. */
  readonly n: number;
  readonly acc: number;
}

export function plainLoop(processes: number, until: number): PlainLoopResult {
  let cap = 1024;
  let hTime = new Float64Array(cap), hPrio = new Int32Array(cap), hOrd = new Float64Array(cap), hOrigin = new Int32Array(cap);
  let hEvent: { type: 'self'; k: number }[] = [];
  let size = 0, nextOrd = 0;
  const before = (i: number, j: number): boolean => hTime[i] !== hTime[j] ? hTime[i] < hTime[j] : hPrio[i] !== hPrio[j] ? hPrio[i] < hPrio[j] : hOrd[i] < hOrd[j];
  const swap = (i: number, j: number): void => {
    let t = hTime[i]; hTime[i] = hTime[j]; hTime[j] = t;
    t = hPrio[i]; hPrio[i] = hPrio[j]; hPrio[j] = t;
    t = hOrd[i]; hOrd[i] = hOrd[j]; hOrd[j] = t;
    t = hOrigin[i]; hOrigin[i] = hOrigin[j]; hOrigin[j] = t;
    const e = hEvent[i]; hEvent[i] = hEvent[j]; hEvent[j] = e;
  };
  const push = (time: number, prio: number, origin: number, ev: { type: 'self'; k: number }): void => {
    if (size === cap) {
      cap *= 2;
      const t = new Float64Array(cap); t.set(hTime); hTime = t;
      const p = new Int32Array(cap); p.set(hPrio); hPrio = p;
      const o = new Float64Array(cap); o.set(hOrd); hOrd = o;
      const g = new Int32Array(cap); g.set(hOrigin); hOrigin = g;
    }
    let i = size++;
    hTime[i] = time; hPrio[i] = prio; hOrd[i] = nextOrd++; hOrigin[i] = origin; hEvent[i] = ev;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const popTop = (): void => {
    size--;
    if (size > 0) {
      swap(0, size);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const c = l + 1 < size && before(l + 1, l) ? l + 1 : l;
        if (!before(c, i)) break;
        swap(c, i);
        i = c;
      }
    }
  };
  // The columnar log.
  let lcap = 1024, n = 0;
  let lTime = new Float64Array(lcap), lPrio = new Int32Array(lcap), lOrigin = new Int32Array(lcap);
  const lEvent: { type: 'self'; k: number }[] = [];
  const state = { n: 0, acc: 0 };
  for (let i = 0; i < processes; i++) push(0, 0, -2, { type: 'self', k: i });
  const t0 = performance.now(), c0 = process.cpuUsage();
  while (size > 0 && hTime[0] <= until) {
    const time = hTime[0], prio = hPrio[0], origin = hOrigin[0], ev = hEvent[0];
    popTop();
    if (n === lcap) {
      lcap *= 2;
      const t = new Float64Array(lcap); t.set(lTime); lTime = t;
      const p = new Int32Array(lcap); p.set(lPrio); lPrio = p;
      const o = new Int32Array(lcap); o.set(lOrigin); lOrigin = o;
    }
    lTime[n] = time; lPrio[n] = prio; lOrigin[n] = origin; lEvent.push(ev);
    n++;
    state.n++;
    state.acc = (state.acc + ev.k) & 0xffff;
    push(time + 1 + (ev.k & 3), 0, n, { type: 'self', k: ev.k + 1 });
  }
  const ms = performance.now() - t0, c = process.cpuUsage(c0);
  return { events: n, ms, cpuMs: (c.user + c.system) / 1000, n: state.n, acc: state.acc };
}
