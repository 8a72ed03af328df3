import { expect } from 'chai';
import { runCli } from './runCli.ts';

// lib/cli/commands.ts joins the report's kernel files into the debugger (issue 15: "cat
// /sys/kernel/debug/cma/video/used" as a debugger command), so lib/debug never imports lib/report.
describe('cli/commands: the debugger reads kernel files', () => {
  it('cat prints a file in the kernel\'s text at the cursor; ls lists the files the profile has', async () => {
    const r = await runCli(['debug', 'race1', '--eval', 'goto start; cat /sys/kernel/debug/cma/cam/used; goto end; cat /sys/kernel/debug/cma/cam/used; cat /proc/meminfo; ls']);
    expect(r.code, r.err).to.equal(0);
    // Nothing allocated at the start; request 1 holds 256 pages at the end (debugfs `used`, one number a line).
    expect(r.out).to.match(/> cat \/sys\/kernel\/debug\/cma\/cam\/used\n0\n[\s\S]*> cat \/sys\/kernel\/debug\/cma\/cam\/used\n256\n/);
    // fs/proc/meminfo.c: the name padded to 16 columns, the value right-aligned in 8 (show_val_kb), " kB".
    expect(r.out.split('\n')).to.include(`${'CmaTotal:'.padEnd(16)}${'4096'.padStart(8)} kB`);
    expect(r.out).to.include('/sys/kernel/mm/cma/cam/alloc_pages_success\n');
    expect(r.out).to.include('/proc/pagetypeinfo');
  });

  it('an unknown path is one line naming it, listing what exists', async () => {
    const r = await runCli(['debug', 'race1', '--eval', 'cat /sys/kernel/debug/cma/nope/used']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/^cma-sim debug: command 1 'cat \/sys\/kernel\/debug\/cma\/nope\/used': \/sys\/kernel\/debug\/cma\/nope\/used: no such file \(try [^\n]*areas: cam\)\n$/);
  });
});
