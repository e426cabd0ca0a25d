// A double-ended queue of tick indices in a growable typed-array ring: the sliding window's
// monotonic high/low deques. As JavaScript arrays (pushed at the back, a moving head, sliced now
// and then) they held up to a whole window of indices, and each slice or growth of a 20,000-entry
// array was a large block promoted to the old generation that soon died there.

export class IndexDeque {
  #buf = new Float64Array(64);
  #mask = 63;
  /** Counters of pops from the front and pushes at the back; slot = counter & mask. */
  #head = 0;
  #tail = 0;

  get size(): number {
    return this.#tail - this.#head;
  }

  clear(): void {
    this.#head = this.#tail = 0;
  }

  front(): number {
    return this.#buf[this.#head & this.#mask]!;
  }

  back(): number {
    return this.#buf[(this.#tail - 1) & this.#mask]!;
  }

  push(v: number): void {
    if (this.#tail - this.#head > this.#mask) this.#grow();
    this.#buf[this.#tail & this.#mask] = v;
    this.#tail++;
  }

  popBack(): void {
    this.#tail--;
  }

  popFront(): void {
    this.#head++;
  }

  #grow(): void {
    const cap = (this.#mask + 1) * 2;
    const buf = new Float64Array(cap);
    for (let c = this.#head; c < this.#tail; c++) buf[c & (cap - 1)] = this.#buf[c & this.#mask]!;
    this.#buf = buf;
    this.#mask = cap - 1;
  }
}
