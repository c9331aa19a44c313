// SHA-256 of a file for file-complete, or for file-offer to a host that wants it there (docs/PROTOCOL.md
// §15.2). An upload feeds this incremental SHA-256 (FIPS 180-4) each chunk as it sends it, and
// slices of the file (`hashBlob`) after a resume, so a 100 MB file never sits in memory at once.
// Hashing a whole file first (`sha256File`) uses crypto.subtle for small files where it exists:
// only in secure contexts (https, localhost), not on http from a LAN address, and it takes the
// bytes whole. No DOM: Node runs it too.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const NATIVE_UP_TO = 32 * 1024 * 1024;
const SLICE = 4 * 1024 * 1024;

/** Feed bytes with `update` in any pieces, then `hex()` once; `length` is how many it has taken. */
export class Sha256 {
  constructor() {
    this.h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Int32Array(64);
    this.block = new Uint8Array(64);
    this.filled = 0;
    this.length = 0;
  }

  update(bytes) {
    let i = 0;
    this.length += bytes.length;
    if (this.filled > 0) {
      i = Math.min(64 - this.filled, bytes.length);
      this.block.set(bytes.subarray(0, i), this.filled);
      this.filled += i;
      if (this.filled < 64) return this;
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) this.compress(bytes, i);
    this.block.set(bytes.subarray(i));
    this.filled = bytes.length - i;
    return this;
  }

  compress(bytes, at) {
    const w = this.w;
    const H = this.h;
    for (let t = 0; t < 16; t++) {
      const j = at + 4 * t;
      w[t] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15];
      const y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (let t = 0; t < 64; t++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
  }

  /** The digest as 64 lower-case hex digits; the hash is used up. */
  hex() {
    const length = this.length;
    const pad = new Uint8Array((this.filled < 56 ? 64 : 128) - this.filled);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, Math.floor(length / 0x20000000)); // the bit count's high word
    view.setUint32(pad.length - 4, (length * 8) >>> 0);
    this.update(pad);
    return Array.from(this.h, (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

/**
 * The SHA-256 of a Blob (a File) as hex. `onProgress(bytesRead)` follows the reading; `stopped()`
 * true abandons it (resolves null). `subtle` is crypto.subtle or null to force the incremental one.
 */
export async function sha256File(blob, { onProgress = () => {}, stopped = () => false, subtle = globalThis.crypto?.subtle } = {}) {
  if (subtle && blob.size <= NATIVE_UP_TO) {
    const digest = new Uint8Array(await subtle.digest('SHA-256', await blob.arrayBuffer()));
    onProgress(blob.size);
    return Array.from(digest, (x) => x.toString(16).padStart(2, '0')).join('');
  }
  const hash = new Sha256();
  return (await hashBlob(hash, blob, blob.size, { onProgress, stopped })) ? hash.hex() : null;
}

/**
 * Feeds `hash` the bytes of `blob` from where it is (`hash.length`) up to `end`, a slice at a
 * time, so a file of any size never sits in memory at once. `onProgress(bytesTaken)` follows it;
 * false once `stopped()` is true (the hash then holds what it took until then).
 */
export async function hashBlob(hash, blob, end, { onProgress = () => {}, stopped = () => false } = {}) {
  while (hash.length < end) {
    if (stopped()) return false;
    const to = Math.min(end, hash.length + SLICE);
    hash.update(new Uint8Array(await blob.slice(hash.length, to).arrayBuffer()));
    onProgress(hash.length);
  }
  return !stopped();
}
