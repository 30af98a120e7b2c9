/**
 * Stateless shuffling: the generator decides which event goes on line k without holding all the
 * events, by mapping line numbers through a keyed bijection of [0, n). Memory stays constant
 * however many events the file has, and the order is shuffled across the whole file.
 */

/** MurmurHash3's finaliser: a bijection of the 32-bit integers that mixes every input bit. */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 32-bit seed for item `index` of stream `stream` under `seed`. */
export function deriveSeed(seed: number, stream: number, index: number): number {
  return fmix32(fmix32(fmix32(seed) ^ Math.imul(stream + 1, 0x9e3779b1)) + index);
}

/**
 * A pseudo-random permutation of [0, size): a 4-round Feistel network over the smallest even
 * power of two that holds `size`, with cycle-walking to stay inside [0, size). Four rounds with
 * independent keys are what makes a Feistel network a good pseudo-random permutation.
 */
export class IndexPermutation {
  private readonly halfBits: number;
  private readonly mask: number;
  private readonly keys: readonly number[];

  constructor(
    readonly size: number,
    seed: number,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 32) {
      throw new RangeError(`cannot permute ${size} items (1 to 2^32)`);
    }
    let bits = 2;
    while (2 ** bits < size) bits += 2;
    this.halfBits = bits / 2;
    this.mask = 2 ** this.halfBits - 1;
    this.keys = [0, 1, 2, 3].map((round) => deriveSeed(seed, 1000, round));
  }

  at(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`index ${index} is outside [0, ${this.size})`);
    }
    let value = index;
    do value = this.encrypt(value);
    while (value >= this.size);
    return value;
  }

  private encrypt(value: number): number {
    let left = Math.floor(value / 2 ** this.halfBits);
    let right = value & this.mask;
    for (const key of this.keys) {
      const next = (left ^ fmix32(right ^ key)) & this.mask;
      left = right;
      right = next;
    }
    return left * 2 ** this.halfBits + right;
  }
}
