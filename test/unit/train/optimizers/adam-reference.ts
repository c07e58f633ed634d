// The update formulas written out in plain float64 JavaScript, the reference the
// TensorFlow.js optimizers are checked against step by step.

export interface AdamSlots {
  m: number[];
  v: number[];
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled decay; 0 for plain Adam or for a variable that is excluded. */
  wd: number;
}

/** One AdamW step t (1-based) on `w` in place: w ← w(1 − lr·wd) − lr·m̂ / (√v̂ + ε). */
export function adamwStep(w: number[], g: number[], s: AdamSlots, t: number, h: AdamHyper): void {
  for (let i = 0; i < w.length; i++) {
    s.m[i] = h.beta1 * s.m[i]! + (1 - h.beta1) * g[i]!;
    s.v[i] = h.beta2 * s.v[i]! + (1 - h.beta2) * g[i]! * g[i]!;
    const mHat = s.m[i]! / (1 - h.beta1 ** t);
    const vHat = s.v[i]! / (1 - h.beta2 ** t);
    w[i] = w[i]! * (1 - h.lr * h.wd) - (h.lr * mHat) / (Math.sqrt(vHat) + h.epsilon);
  }
}

/** One SGDW step on `w` in place: w ← w(1 − lr·wd); a ← μa + g; w ← w − lr·a. */
export function sgdwStep(w: number[], g: number[], acc: number[], lr: number, momentum: number, wd: number): void {
  for (let i = 0; i < w.length; i++) {
    acc[i] = momentum * acc[i]! + g[i]!;
    w[i] = w[i]! * (1 - lr * wd) - lr * acc[i]!;
  }
}

export const zeros = (n: number): number[] => new Array<number>(n).fill(0);
