// Host-side double math of the page = Node's. engine/stats computes limits and p-values in double
// precision with Math.exp / Math.log / Math.log1p; Chromium's V8 rounds these differently from
// Node 20's (fdlibm) in the last bit for a few per cent of inputs, which would make the page's
// limits differ from `darkscan demo` by an ulp. Imported first by web/page.ts, before any engine
// module runs, so that everything on the page uses fdlibm (web/fdlibm.ts), as Node does.
// (Kernels are unaffected: they use only integer and f32 + - * ops; see kernels/README.md.)
import { exp, log, log1p } from './fdlibm.js';

export const HOST_MATH = 'fdlibm exp, log, log1p (the code of Node 20 / V8 11.3 Math)';

/** How many of a few probe inputs the browser's own Math rounds differently (shown on the page). */
export const NATIVE_DIFFERS = (() => {
  let d = 0;
  for (let i = 1; i <= 200; i++) {
    const x = i * 0.0731 - 3.3;
    if (!Object.is(Math.exp(x), exp(x))) d++;
    if (!Object.is(Math.log(i * 0.917), log(i * 0.917))) d++;
  }
  return d;
})();

Math.exp = exp;
Math.log = log;
Math.log1p = log1p;
