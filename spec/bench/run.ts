/**
 * `npm run bench`: every benchmark, one after another, printed as a table. Not part of
 * `npm test`: figures depend on the machine. Run with --expose-gc for memory figures.
 */
import { benchEngine } from './engine.bench.ts';

const only = process.argv[2];
const rows: [string, string, string][] = [];
const add = (name: string, value: string, target: string) => { rows.push([name, value, target]); console.log(`${name.padEnd(58)} ${value.padStart(14)}   target ${target}`); };

if (!only || only === 'engine') {
  const r = await benchEngine();
  add('engine: trivial self-rescheduling reducer, log on (events/s)', r.eventsPerSec.toLocaleString('en'), '>= 2,000,000');
  add('engine: bytes retained per logged event', r.bytesPerEvent === null ? 'n/a (no --expose-gc)' : String(r.bytesPerEvent), '<= 100');
  add('engine: stateAt in a 1,000,000-event history, p50 (ms)', String(r.seekP50Ms), '');
  add('engine: stateAt in a 1,000,000-event history, max (ms)', String(r.seekMaxMs), '<= 20');
}
