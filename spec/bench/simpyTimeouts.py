"""SimPy side of the engine benchmark: 100 processes, each waiting on timeouts of 1 + (k & 3)
time units, the shape spec/bench/engine.bench.ts runs on the engine and on a plain loop.
Prints one JSON line: events (timeouts processed), seconds, events per wall and per CPU second, SimPy's version.
Usage: python3 simpyTimeouts.py UNTIL (simulated time units; 100 processes make 40 events a unit)"""
import json
import sys
import time

import simpy

PROCESSES = 100


def main():
    until = int(sys.argv[1])
    env = simpy.Environment()
    state = {'n': 0, 'acc': 0}

    def proc(k):
        while True:
            yield env.timeout(1 + (k & 3))
            state['n'] += 1
            state['acc'] = (state['acc'] + k) & 0xffff
            k += 1

    for i in range(PROCESSES):
        env.process(proc(i))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=until + 1)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({'events': state['n'], 'seconds': dt, 'eventsPerSec': state['n'] / dt, 'eventsPerCpuSec': state['n'] / cpu, 'version': simpy.__version__}))


main()
