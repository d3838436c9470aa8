/**
 * Radix-2 real FFT. A real signal of length N is packed into a complex signal of length N/2
 * (even samples → real, odd samples → imaginary), transformed with an iterative in-place
 * complex FFT, then split into the N/2 + 1 non-redundant bins of the real spectrum.
 *
 * The complex FFT is a decimation-in-frequency radix-4 (two radix-2 stages fused per pass, plus
 * one plain radix-2 pass when log2(N/2) is odd): it takes its input in natural order, so the
 * windowed packing of the frame is fused into the first pass, and leaves its output in
 * bit-reversed order, which the split step reads through a permutation table.
 *
 * One instance per size; all tables and scratch buffers are allocated once, so `forward` and
 * `power` do not allocate. Not re-entrant (shares scratch), which is fine in single-threaded JS.
 */
export class RealFFT {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  /** rev[k]: where natural-order bin k of the half-size complex FFT ends up (bit reversal). */
  private readonly rev: Uint32Array;
  /** Twiddles of the half-size complex FFT: cos/sin(-2πk/half), k < half. */
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;
  /** Twiddles of the real split step: cos/sin(-2πk/N), k ≤ N/2. */
  private readonly cosS: Float64Array;
  private readonly sinS: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`RealFFT size must be a power of two ≥ 4, got ${size}`);
    }
    this.size = size;
    this.half = size >> 1;
    this.bins = this.half + 1;
    const half = this.half;
    const bits = Math.round(Math.log2(half));
    this.rev = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
      this.rev[i] = r;
    }
    this.cosT = new Float64Array(half);
    this.sinT = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.cosT[k] = Math.cos((-2 * Math.PI * k) / half);
      this.sinT[k] = Math.sin((-2 * Math.PI * k) / half);
    }
    this.cosS = new Float64Array(half + 1);
    this.sinS = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.cosS[k] = Math.cos((-2 * Math.PI * k) / size);
      this.sinS[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /**
   * Forward transform of `input[offset .. offset+size)` (optionally multiplied by `window`).
   * Samples outside `input` are treated as zero. Writes bins 0..N/2 into outRe/outIm.
   */
  forward(
    input: ArrayLike<number>,
    outRe: Float32Array | Float64Array,
    outIm: Float32Array | Float64Array,
    offset = 0,
    window?: Float32Array | Float64Array,
  ): void {
    this.transform(input, offset, window);
    const { half, re, im, rev, cosS, sinS } = this;
    // Split: X[k] = (Z[k] + conj(Z[M-k]))/2 + W^k (Z[k] - conj(Z[M-k]))/(2i)
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[half] = re[0]! - im[0]!;
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const pk = rev[k]!;
      const pm = rev[half - k]!;
      const zr = re[pk]!;
      const zi = im[pk]!;
      const cr = re[pm]!;
      const ci = -im[pm]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // (Z - conj)/(2i) = (dr + i di)/(2i) = (di - i dr)/2
      const dr = 0.5 * (zi - ci);
      const di = -0.5 * (zr - cr);
      const wr = cosS[k]!;
      const wi = sinS[k]!;
      outRe[k] = er + wr * dr - wi * di;
      outIm[k] = ei + wr * di + wi * dr;
    }
  }

  /** Power spectrum |X[k]|² for k = 0..N/2 into `out` (length ≥ bins). */
  power(
    input: ArrayLike<number>,
    out: Float32Array | Float64Array,
    offset = 0,
    window?: Float32Array | Float64Array,
  ): void {
    this.transform(input, offset, window);
    const { half, re, im, rev, cosS, sinS } = this;
    const r0 = re[0]! + im[0]!;
    const rh = re[0]! - im[0]!;
    out[0] = r0 * r0;
    out[half] = rh * rh;
    // Bins k and half-k share the same two complex inputs: compute both per iteration.
    for (let k = 1, m = half - 1; k <= m; k++, m--) {
      const pk = rev[k]!;
      const pm = rev[m]!;
      const zr = re[pk]!;
      const zi = im[pk]!;
      const yr = re[pm]!;
      const yi = im[pm]!;
      const er = 0.5 * (zr + yr);
      const ei = 0.5 * (zi - yi);
      const dr = 0.5 * (zi + yi);
      const di = -0.5 * (zr - yr);
      let wr = cosS[k]!;
      let wi = sinS[k]!;
      let xr = er + wr * dr - wi * di;
      let xi = ei + wr * di + wi * dr;
      out[k] = xr * xr + xi * xi;
      if (m !== k) {
        // For bin m the roles swap: E' = conj(E), D' = conj(D).
        wr = cosS[m]!;
        wi = sinS[m]!;
        xr = er + wr * dr + wi * di;
        xi = -ei - wr * di + wi * dr;
        out[m] = xr * xr + xi * xi;
      }
    }
  }

  /** Complex FFT of the packed (and windowed) frame; result in re/im, bit-reversed order. */
  private transform(input: ArrayLike<number>, offset: number, window?: Float32Array | Float64Array): void {
    const { half } = this;
    let L = half;
    if (half >= 4 && window && offset >= 0 && offset + this.size <= input.length) {
      this.firstPassFromInput(input, offset, window);
      L = half >> 2;
    } else {
      this.pack(input, offset, window);
    }
    this.passes(L);
  }

  /** Natural-order packing with zero padding outside `input`. */
  private pack(input: ArrayLike<number>, offset: number, window?: Float32Array | Float64Array): void {
    const { half, re, im } = this;
    const len = input.length;
    for (let n = 0; n < half; n++) {
      const i0 = offset + 2 * n;
      let a = i0 >= 0 && i0 < len ? input[i0]! : 0;
      let b = i0 + 1 >= 0 && i0 + 1 < len ? input[i0 + 1]! : 0;
      if (window) {
        a *= window[2 * n]!;
        b *= window[2 * n + 1]!;
      }
      re[n] = a;
      im[n] = b;
    }
  }

  /** The first radix-4 pass (block = half) reading the windowed frame straight from the input. */
  private firstPassFromInput(input: ArrayLike<number>, offset: number, w: Float32Array | Float64Array): void {
    const { half, re, im, cosT, sinT } = this;
    const q = half >> 2;
    // Complex element n is (x[2n], x[2n+1]); the four legs are n = j, j+q, j+2q, j+3q.
    for (let j = 0; j < q; j++) {
      const s0 = 2 * j;
      const s1 = s0 + 2 * q;
      const s2 = s1 + 2 * q;
      const s3 = s2 + 2 * q;
      const x0r = input[offset + s0]! * w[s0]!;
      const x0i = input[offset + s0 + 1]! * w[s0 + 1]!;
      const x1r = input[offset + s1]! * w[s1]!;
      const x1i = input[offset + s1 + 1]! * w[s1 + 1]!;
      const x2r = input[offset + s2]! * w[s2]!;
      const x2i = input[offset + s2 + 1]! * w[s2 + 1]!;
      const x3r = input[offset + s3]! * w[s3]!;
      const x3i = input[offset + s3 + 1]! * w[s3 + 1]!;
      const ar = x0r + x2r, ai = x0i + x2i;
      const br = x1r + x3r, bi = x1i + x3i;
      const cr = x0r - x2r, ci = x0i - x2i;
      const dr = x1r - x3r, di = x1i - x3i;
      const w1r = cosT[j]!, w1i = sinT[j]!;
      const w2r = cosT[2 * j]!, w2i = sinT[2 * j]!;
      const w3r = cosT[3 * j]!, w3i = sinT[3 * j]!;
      re[j] = ar + br;
      im[j] = ai + bi;
      const e1r = ar - br, e1i = ai - bi;
      re[j + q] = e1r * w2r - e1i * w2i;
      im[j + q] = e1r * w2i + e1i * w2r;
      const e2r = cr + di, e2i = ci - dr;
      re[j + 2 * q] = e2r * w1r - e2i * w1i;
      im[j + 2 * q] = e2r * w1i + e2i * w1r;
      const e3r = cr - di, e3i = ci + dr;
      re[j + 3 * q] = e3r * w3r - e3i * w3i;
      im[j + 3 * q] = e3r * w3i + e3i * w3r;
    }
  }

  /**
   * Decimation-in-frequency passes on blocks of length L, L/4, … : each radix-4 butterfly is two
   * fused radix-2 DIF stages, (a, b, c, d) = (x0+x2, x1+x3, x0−x2, x1−x3) →
   * (a+b, (a−b)·W^2j, (c−id)·W^j, (c+id)·W^3j) with W = exp(−2πi/L).
   */
  private passes(L: number): void {
    const { half, re, im, cosT, sinT } = this;
    for (; L >= 4; L >>= 2) {
      const q = L >> 2;
      if (q === 1) {
        // Last radix-4 pass: all twiddles are 1.
        for (let p = 0; p < half; p += 4) {
          const x0r = re[p]!, x0i = im[p]!;
          const x1r = re[p + 1]!, x1i = im[p + 1]!;
          const x2r = re[p + 2]!, x2i = im[p + 2]!;
          const x3r = re[p + 3]!, x3i = im[p + 3]!;
          const ar = x0r + x2r, ai = x0i + x2i;
          const br = x1r + x3r, bi = x1i + x3i;
          const cr = x0r - x2r, ci = x0i - x2i;
          const dr = x1r - x3r, di = x1i - x3i;
          re[p] = ar + br;
          im[p] = ai + bi;
          re[p + 1] = ar - br;
          im[p + 1] = ai - bi;
          re[p + 2] = cr + di;
          im[p + 2] = ci - dr;
          re[p + 3] = cr - di;
          im[p + 3] = ci + dr;
        }
        continue;
      }
      const s = half / L;
      for (let j = 0; j < q; j++) {
        const t = j * s;
        const w1r = cosT[t]!, w1i = sinT[t]!;
        const w2r = cosT[2 * t]!, w2i = sinT[2 * t]!;
        const w3r = cosT[3 * t]!, w3i = sinT[3 * t]!;
        for (let p = j; p < half; p += L) {
          const p1 = p + q, p2 = p1 + q, p3 = p2 + q;
          const x0r = re[p]!, x0i = im[p]!;
          const x1r = re[p1]!, x1i = im[p1]!;
          const x2r = re[p2]!, x2i = im[p2]!;
          const x3r = re[p3]!, x3i = im[p3]!;
          const ar = x0r + x2r, ai = x0i + x2i;
          const br = x1r + x3r, bi = x1i + x3i;
          const cr = x0r - x2r, ci = x0i - x2i;
          const dr = x1r - x3r, di = x1i - x3i;
          re[p] = ar + br;
          im[p] = ai + bi;
          const e1r = ar - br, e1i = ai - bi;
          re[p1] = e1r * w2r - e1i * w2i;
          im[p1] = e1r * w2i + e1i * w2r;
          const e2r = cr + di, e2i = ci - dr;
          re[p2] = e2r * w1r - e2i * w1i;
          im[p2] = e2r * w1i + e2i * w1r;
          const e3r = cr - di, e3i = ci + dr;
          re[p3] = e3r * w3r - e3i * w3i;
          im[p3] = e3r * w3i + e3i * w3r;
        }
      }
    }
    if (L === 2) {
      // log2(half) odd: one plain radix-2 pass (twiddle 1) finishes the transform.
      for (let p = 0; p < half; p += 2) {
        const ar = re[p]!, ai = im[p]!;
        const br = re[p + 1]!, bi = im[p + 1]!;
        re[p] = ar + br;
        im[p] = ai + bi;
        re[p + 1] = ar - br;
        im[p + 1] = ai - bi;
      }
    }
  }
}

/** Periodic Hann window of length n. */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
