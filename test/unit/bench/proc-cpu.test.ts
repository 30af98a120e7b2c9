import { expect } from 'chai';
import { cpuBetween, CpuMeter, parseCpuTicks } from '../../../ops/bench/proc-cpu.ts';

// A real line's shape: pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
// majflt cmajflt utime stime cutime cstime ...
const line = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1500 0 0 0 ${utime} ${stime} 77 88 20 0 12 0 900 1000000 2000`;

describe('CPU time from /proc/<pid>/stat', () => {
  it('adds utime and stime, leaving out the children', () => {
    expect(parseCpuTicks(line('node', 1234, 56))).to.equal(1290);
  });

  it('counts fields from the last parenthesis: a name may hold spaces and parentheses', () => {
    expect(parseCpuTicks(line('Web Content (x) ) y', 10, 5))).to.equal(15);
    expect(parseCpuTicks(line('a b', 7, 0))).to.equal(7);
  });

  it('refuses a line that is not a stat line rather than reading the wrong fields', () => {
    expect(() => parseCpuTicks('garbage')).to.throw(/not a \/proc/);
    expect(() => parseCpuTicks('1 (x) S 1 2')).to.throw(/no utime/);
  });

  it('reads this process, and leaves an unknown pid unknown', () => {
    const meter = new CpuMeter(
      new Map([
        ['self', process.pid],
        ['remote', undefined],
      ]),
      100,
    );
    const before = meter.snapshot();
    const until = Date.now() + 30;
    while (Date.now() < until); // burn a little CPU so that the difference can be positive
    const used = cpuBetween(before, meter.snapshot());
    expect(used.self).to.be.a('number').and.at.least(0);
    expect(used.remote).to.equal(null);
  });
});
