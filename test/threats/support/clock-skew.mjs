/**
 * Test-only preload (node --import) that runs a service with its clock moved
 * by SEALBID_TEST_CLOCK_SKEW_MS milliseconds (negative moves it back), so a
 * test can show that each service enforces deadlines by its own clock.
 * Date.now() and new Date() without arguments both see the moved clock.
 */
const skew = Number(process.env.SEALBID_TEST_CLOCK_SKEW_MS ?? '0');
if (!Number.isFinite(skew)) {
  throw new Error(`SEALBID_TEST_CLOCK_SKEW_MS must be a number of milliseconds, got ${process.env.SEALBID_TEST_CLOCK_SKEW_MS}`);
}

const RealDate = globalThis.Date;

class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) {
      super(RealDate.now() + skew);
    } else {
      super(...args);
    }
  }

  static now() {
    return RealDate.now() + skew;
  }
}

globalThis.Date = SkewedDate;
