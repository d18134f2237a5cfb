import { describe, expect, it } from 'vitest';
import { formatCFloat } from '../../../src/sim/applets/c-float-format.js';
import { runIn, simulator } from '../shell/harness.js';

// Expected texts: Debian's /bin/busybox 1.35.0 (glibc printf underneath), run on the host:
//   busybox printf '[%.0f %.0f %.0f %.0f %.1f %.2f]\n[%g …' 0.5 1.5 2.5 9.5 0.25 1.005 …
describe('printf floating-point conversions, as C writes them', () => {
  it('rounds exact ties to even and everything else to nearest', async () => {
    const args = ['0.5', '1.5', '2.5', '9.5', '0.25', '1.005'];
    const r = await runIn(await simulator(), ['printf', '[%.0f %.0f %.0f %.0f %.1f %.2f]\\n', ...args]);
    expect(r.stdout).toBe('[0 2 2 10 0.2 1.00]\n');
  });

  it('%g picks %e or %f by exponent and drops trailing zeros', async () => {
    const args = ['0.0001234', '1234567', '2.5e-5', '100000', '1e6', '123456', '0.1'];
    const r = await runIn(await simulator(), ['printf', '[%g %g %g %g %g %g %g]\\n', ...args]);
    expect(r.stdout).toBe('[0.0001234 1.23457e+06 2.5e-05 100000 1e+06 123456 0.1]\n');
  });

  it('%e writes at least two exponent digits; %E and %G upper-case', async () => {
    const r = await runIn(await simulator(), ['printf', '[%e %.2e %.0e %E %G]\\n', '12345.678', '1.125', '9.5', '1e-10', '1e-10']);
    expect(r.stdout).toBe('[1.234568e+04 1.12e+00 1e+01 1.000000E-10 1E-10]\n');
  });

  it('honours #, +, 0 and - flags and signed zero', async () => {
    const r = await runIn(await simulator(), [
      'printf',
      '[%#g %#.3g %+.1f %08.2f %-8.1e| %g %.0g %g]\\n',
      '1',
      '2.5',
      '3.14159',
      '-2.75',
      '1.5',
      '0',
      '0.5',
      '-0',
    ]);
    expect(r.stdout).toBe('[1.00000 2.50 +3.1 -0002.75 1.5e+00 | 0 0.5 -0]\n');
  });

  it('writes inf and nan as C does', () => {
    expect(formatCFloat(Infinity, 'f', undefined)).toBe('inf');
    expect(formatCFloat(-Infinity, 'g', undefined)).toBe('-inf');
    expect(formatCFloat(Number.NaN, 'e', undefined)).toBe('nan');
    expect(formatCFloat(1e22, 'f', 1)).toBe('10000000000000000000000.0');
  });
});
