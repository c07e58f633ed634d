// The prediction of an ensemble: the element-wise mean of its members' class
// probabilities. Averaging probabilities (not logits, not votes) keeps each row a
// probability distribution (a mean of distributions sums to 1) and lets a confident
// member outweigh an unsure one, which is what makes the average steadier than any member.

/**
 * Mean of `list` (each n × numClasses probabilities, row-major, same item order).
 * Refuses an empty list, a numClasses that is not a positive integer, arrays whose length
 * is not a multiple of numClasses, and arrays of unequal lengths.
 */
export function averageProbabilities(list: readonly Float32Array[], numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`averageProbabilities: numClasses must be a positive integer, got ${numClasses}`);
  }
  if (list.length === 0) throw new Error('averageProbabilities: no members to average (the list is empty)');
  const length = list[0]!.length;
  if (length % numClasses !== 0) {
    throw new Error(`averageProbabilities: member 0 has ${length} values, not a multiple of ${numClasses} classes`);
  }
  list.forEach((probabilities, i) => {
    if (probabilities.length !== length) {
      throw new Error(
        `averageProbabilities: member ${i} has ${probabilities.length} values but member 0 has ${length}; ` +
          'members must score the same images with the same classes',
      );
    }
  });
  // Sum in float64 so the mean of many members does not drift in the last bits.
  const sum = new Float64Array(length);
  for (const probabilities of list) for (let j = 0; j < length; j++) sum[j]! += probabilities[j]!;
  const mean = new Float32Array(length);
  for (let j = 0; j < length; j++) mean[j] = sum[j]! / list.length;
  return mean;
}
