// How the import configures sharp in its workers (shared with the benchmark's floor,
// which must run sharp the same way to be a fair floor).
import os from 'node:os';
import sharp from 'sharp';

/**
 * sharp runs each operation on libuv's thread pool, which all worker threads share
 * (UV_THREADPOOL_SIZE, default 4), so at most that many operations run at once. With
 * many files in flight, one libvips thread per operation keeps a small machine from
 * oversubscribing its cores; a machine with more cores than pool threads gets a few
 * libvips threads per operation instead, so its cores still have work. The setting is
 * process-wide (libvips has one), hence a function called once per worker.
 */
export function configureSharpForImport(): number {
  const poolThreads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const threads = Math.max(1, Math.ceil(os.availableParallelism() / poolThreads));
  sharp.concurrency(threads);
  return threads;
}
