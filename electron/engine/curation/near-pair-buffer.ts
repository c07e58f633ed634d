// The pairs a near-duplicate search finds, in typed arrays that grow by doubling: a
// JavaScript array of numbers costs 8 bytes an entry here, these 9 bytes a pair, and a
// high threshold on a large project can find millions of pairs.
export class NearPairBuffer {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  distance = new Uint8Array(1024);
  length = 0;

  push(i: number, j: number, d: number): void {
    if (this.length === this.a.length) this.grow();
    this.a[this.length] = i;
    this.b[this.length] = j;
    this.distance[this.length] = d;
    this.length++;
  }

  /** Drops the pairs farther apart than `d` (keeping the order of the others). */
  dropBeyond(d: number): void {
    let w = 0;
    for (let k = 0; k < this.length; k++) {
      if (this.distance[k]! > d) continue;
      this.a[w] = this.a[k]!;
      this.b[w] = this.b[k]!;
      this.distance[w] = this.distance[k]!;
      w++;
    }
    this.length = w;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const a = new Int32Array(size);
    const b = new Int32Array(size);
    const distance = new Uint8Array(size);
    a.set(this.a);
    b.set(this.b);
    distance.set(this.distance);
    this.a = a;
    this.b = b;
    this.distance = distance;
  }
}
