/**
 * Radix-2 real FFT. A real signal of length N is packed into a complex signal of length N/2
 * (even samples → real, odd samples → imaginary), transformed with an iterative in-place
 * complex FFT, then split into the N/2 + 1 non-redundant bins of the real spectrum.
 *
 * One instance per size; all tables and scratch buffers are allocated once, so `forward` does
 * not allocate. Not re-entrant (shares scratch), which is fine in single-threaded JS.
 */
export class RealFFT {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly rev: Uint32Array;
  /** Twiddles of the half-size complex FFT: cos/sin(-2πk/half), k < half/2. */
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
    this.cosT = new Float64Array(Math.max(1, half >> 1));
    this.sinT = new Float64Array(Math.max(1, half >> 1));
    for (let k = 0; k < half >> 1; k++) {
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
    this.pack(input, offset, window);
    const { half, re, im } = this;
    this.complexInPlace();
    // Split: X[k] = (Z[k] + conj(Z[M-k]))/2 + W^k (Z[k] - conj(Z[M-k]))/(2i)
    const { cosS, sinS } = this;
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[half] = re[0]! - im[0]!;
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[half - k]!;
      const ci = -im[half - k]!;
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
    this.pack(input, offset, window);
    this.complexInPlace();
    const { half, re, im, cosS, sinS } = this;
    const r0 = re[0]! + im[0]!;
    const rh = re[0]! - im[0]!;
    out[0] = r0 * r0;
    out[half] = rh * rh;
    // Bins k and half-k share the same two complex inputs: compute both per iteration.
    for (let k = 1, m = half - 1; k <= m; k++, m--) {
      const zr = re[k]!;
      const zi = im[k]!;
      const yr = re[m]!;
      const yi = im[m]!;
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
        // For bin m the roles swap: E' = conj(E), D' = conj(D) (up to the same algebra).
        wr = cosS[m]!;
        wi = sinS[m]!;
        const er2 = er;
        const ei2 = -ei;
        const dr2 = dr;
        const di2 = -di;
        xr = er2 + wr * dr2 - wi * di2;
        xi = ei2 + wr * di2 + wi * dr2;
        out[m] = xr * xr + xi * xi;
      }
    }
  }

  private pack(input: ArrayLike<number>, offset: number, window?: Float32Array | Float64Array): void {
    const { half, rev, re, im } = this;
    const len = input.length;
    if (window && offset >= 0 && offset + this.size <= len) {
      for (let n = 0, i0 = offset; n < half; n++, i0 += 2) {
        const r = rev[n]!;
        re[r] = input[i0]! * window[2 * n]!;
        im[r] = input[i0 + 1]! * window[2 * n + 1]!;
      }
      return;
    }
    for (let n = 0; n < half; n++) {
      const i0 = offset + 2 * n;
      let a = i0 >= 0 && i0 < len ? input[i0]! : 0;
      let b = i0 + 1 >= 0 && i0 + 1 < len ? input[i0 + 1]! : 0;
      if (window) {
        a *= window[2 * n]!;
        b *= window[2 * n + 1]!;
      }
      const r = rev[n]!;
      re[r] = a;
      im[r] = b;
    }
  }

  /**
   * In-place decimation-in-time FFT on bit-reversed re/im. Stages are fused in pairs
   * (radix-2², four points per butterfly) to halve the passes over memory.
   */
  private complexInPlace(): void {
    const { half, re, im, cosT, sinT } = this;
    let h = 1;
    const stages = Math.round(Math.log2(half));
    if (stages % 2 === 1) {
      // One plain radix-2 stage (twiddle 1) so the rest pairs up.
      for (let i = 0; i < half; i += 2) {
        const ar = re[i]!;
        const ai = im[i]!;
        const br = re[i + 1]!;
        const bi = im[i + 1]!;
        re[i] = ar + br;
        im[i] = ai + bi;
        re[i + 1] = ar - br;
        im[i + 1] = ai - bi;
      }
      h = 2;
    } else {
      // First fused pair (h = 1, 2): all twiddles are 1 or -i.
      for (let p = 0; p < half; p += 4) {
        const a0r = re[p]!, a0i = im[p]!;
        const a1r = re[p + 1]!, a1i = im[p + 1]!;
        const a2r = re[p + 2]!, a2i = im[p + 2]!;
        const a3r = re[p + 3]!, a3i = im[p + 3]!;
        const b0r = a0r + a1r, b0i = a0i + a1i;
        const b1r = a0r - a1r, b1i = a0i - a1i;
        const b2r = a2r + a3r, b2i = a2i + a3i;
        const b3r = a2r - a3r, b3i = a2i - a3i;
        re[p] = b0r + b2r;
        im[p] = b0i + b2i;
        re[p + 2] = b0r - b2r;
        im[p + 2] = b0i - b2i;
        // -i · b3 = (b3i, -b3r)
        re[p + 1] = b1r + b3i;
        im[p + 1] = b1i - b3r;
        re[p + 3] = b1r - b3i;
        im[p + 3] = b1i + b3r;
      }
      h = 4;
    }
    for (; h < half; h <<= 2) {
      const q = h << 2;
      const s1 = half / (2 * h);
      const s2 = half / q;
      for (let j = 0; j < h; j++) {
        const w1r = cosT[j * s1]!, w1i = sinT[j * s1]!;
        const w2r = cosT[j * s2]!, w2i = sinT[j * s2]!;
        for (let p = j; p < half; p += q) {
          const p1 = p + h, p2 = p1 + h, p3 = p2 + h;
          const a0r = re[p]!, a0i = im[p]!;
          const x1r = re[p1]!, x1i = im[p1]!;
          const a2r = re[p2]!, a2i = im[p2]!;
          const x3r = re[p3]!, x3i = im[p3]!;
          const t1r = w1r * x1r - w1i * x1i, t1i = w1r * x1i + w1i * x1r;
          const t3r = w1r * x3r - w1i * x3i, t3i = w1r * x3i + w1i * x3r;
          const b0r = a0r + t1r, b0i = a0i + t1i;
          const b1r = a0r - t1r, b1i = a0i - t1i;
          const b2r = a2r + t3r, b2i = a2i + t3i;
          const b3r = a2r - t3r, b3i = a2i - t3i;
          const u2r = w2r * b2r - w2i * b2i, u2i = w2r * b2i + w2i * b2r;
          const u3r = w2r * b3r - w2i * b3i, u3i = w2r * b3i + w2i * b3r;
          re[p] = b0r + u2r;
          im[p] = b0i + u2i;
          re[p2] = b0r - u2r;
          im[p2] = b0i - u2i;
          re[p1] = b1r + u3i;
          im[p1] = b1i - u3r;
          re[p3] = b1r - u3i;
          im[p3] = b1i + u3r;
        }
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
