import { CommandError } from './session.ts';

/** One entry per command: its synopsis and what it answers. The summary `help` prints is built from it. */
const TOPICS: Readonly<Record<string, readonly [string, string]>> = {
  step: ['step [n]', 'run n events forward (default 1)'],
  back: ['back [n]', 'go n events back (default 1); the state is the one the run had there'],
  goto: ['goto <seq | 12.5ms | start | end | timeline@point>', 'move to an event, or to the last event at or before a time; timeline@point (alt@37) switches to that timeline'],
  next: ['next <event-type | predicate>', "move forward to the next event of that type, or after which the predicate holds (e.g. next cma.areas.video-a.available < 512); long searches report progress"],
  prev: ['prev <event-type | predicate>', 'as next, backwards'],
  continue: ['continue', 'move forward until a breakpoint holds or a watched value changes'],
  'reverse-continue': ['reverse-continue', 'as continue, backwards: the last event before the cursor that hits a breakpoint or changes a watch'],
  where: ['where', 'the timeline and the event at the cursor'],
  print: ['print <path> | print event[.path] | print <form> <arg>', 'a value of the state (path: cma.areas.video-a.alloc.used, memory.pageblocks[3].mt, cma.requests["7"]), the event at the cursor, or a plugin form'],
  page: ['page <pfn>', 'one page in kernel terms: state, owner, pageblock and its migratetype, pins, the area, chunk or request covering it, and the events that changed it (pfn in hex, 0x41230, or decimal)'],
  pageblock: ['pageblock <n | 0xpfn>', 'one pageblock: its pfn range, migratetype (and the one saved under isolation), free pages, what its pages hold'],
  area: ['area [name]', 'a CMA area: pfn range, used/available pages, largest free chunk, bitmap runs and the requests and chunks holding ranges'],
  request: ['request <id>', 'a cma_alloc request: phases with times and locks, attempts (pages migrated, dropped, busy), retries, outcome'],
  cat: ['cat <path>', 'a kernel pseudo-file at the cursor, in the kernel\'s own text: /proc/meminfo, /proc/buddyinfo, /proc/pagetypeinfo, /sys/kernel/mm/cma/<area>/<file>, /sys/kernel/debug/cma/<area>/{base_pfn,count,order_per_bit,used,maxchunk,bitmap}'],
  ls: ['ls', 'the kernel pseudo-files cat answers for this run (sysfs has the files of the run\'s kernel profile)'],
  map: ['map [area]', 'a drawing of the area: one row per pageblock, one glyph per group of pages'],
  diff: ['diff <a> [b] [--raw]', 'what changed between two points (default b: the cursor); a point is a seq, a time (12.5ms) or timeline@seq (main@89, alt@37) across forks. CMA runs are summarised by area, pageblock, page state and request; --raw lists changed state paths'],
  why: ['why [seq | path | page <pfn>]', 'the chain of events that scheduled this one, root cause first; then (CMA runs) the dataflow: events of other chains that wrote what a link of it read in between its links (a release clearing bits a search read, a pin on a page migration met), and events due at the same instant that touch the same things, which a reordering can flip. With a path or a page: the last event up to the cursor that changed it, and its why'],
  pending: ['pending [n]', 'events queued after the cursor'],
  events: ['events [n]', 'the next n events from the cursor'],
  watch: ['watch [path | page <pfn> | bitmap <area> [bits]]', 'watch a state value, a page (its state, owner, pins, pageblock migratetype) or an area\'s allocation bitmap, whole or bits lo-hi (watch bitmap cam 0-255: the set bit runs and their pfns); continue and reverse-continue stop when it changes; without an argument, list watches'],
  unwatch: ['unwatch <path>', 'stop watching'],
  'back-to-write': ['back-to-write [path | page <pfn> | bitmap <area> [bits]]', 'go back to the last event before the cursor that changed the value (default: the last watch); repeat to go further back'],
  break: ['break <predicate> | break invariant', 'stop continue/reverse-continue where the predicate holds, or where a model invariant is violated (the stop names it)'],
  breaks: ['breaks', 'list breakpoints'],
  delete: ['delete <id>', 'delete a breakpoint'],
  fork: ['fork [name]', 'start a new timeline at the cursor and switch to it'],
  inject: ['inject <time | +dt> <event JSON>', 'in a fork: add an event'],
  drop: ['drop <seq>', 'in a fork: remove a pending event'],
  delay: ['delay <seq> <dt>', 'in a fork: move a pending event later (or earlier with -dt)'],
  extend: ['extend', 'run a long fork further'],
  timelines: ['timelines', 'list timelines'],
  timeline: ['timeline <name>', 'switch timeline'],
  save: ['save <file>', 'save the session (timelines, cursors, watches, breakpoints) to reopen with cma-sim debug <file>'],
  help: ['help [command]', 'this list, or one command in full'],
};

export const HELP = [
  ...Object.values(TOPICS).map(([syn]) => syn),
  '',
  "'help <command>' for one command; aliases: s step, b back, n next, p print, c continue, rc reverse-continue, tl timelines; quit or Ctrl-D to leave",
].join('\n');

export function helpFor(cmd: string): string {
  const t = Object.hasOwn(TOPICS, cmd) ? TOPICS[cmd] : undefined;
  if (!t) throw new CommandError(`no command '${cmd}' (try 'help')`);
  return `${t[0]}\n  ${t[1]}`;
}
