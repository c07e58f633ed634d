// Limits shared by the contract, the command line and the UI, in a file without
// dependencies so the renderer can import it too.

/**
 * The largest perceptual-hash distance (of 64 bits) anyone can ask for near duplicates
 * within. Beyond 12 bits, random photos start to match: at 100,000 images, 16 bits
 * chains 98,000 distinct hashes into 163 clusters — no longer "near duplicates" — and
 * the view could not answer in 200 ms (bench/curation.ts).
 */
export const MAX_HASH_DISTANCE = 12;
