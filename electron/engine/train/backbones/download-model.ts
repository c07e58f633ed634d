// Downloads a TensorFlow.js model (model.json, then each weight shard it lists) into a
// folder. Everything is held in memory until the last byte has arrived and been
// checked against the manifest; only then is the folder written, at once
// (atomic-folder.ts). So a 404, a dropped connection, a stall or a cancel leaves
// nothing behind, and the caller can simply try again.
import { ApiError } from '../../../api/errors.js';
import { writeFolderAtomic, type FolderFile } from './atomic-folder.js';
import { groupBytes, parseModelJson } from './model-json.js';

export interface DownloadProgress {
  /** The file being fetched (model.json or a shard's path). */
  file: string;
  /** 1-based; model.json is file 1. */
  fileIndex: number;
  /** Known once model.json is in. */
  fileCount: number | null;
  /** Bytes of all files so far. */
  bytes: number;
  /** Expected bytes of all files, once model.json is in (null when unknown). */
  totalBytes: number | null;
}

export interface DownloadOptions {
  onProgress?(p: DownloadProgress): void;
  /** Give up when no byte arrives for this long (default 30 s). */
  timeoutMs?: number;
  /** Refuse models larger than this (default 1 GB). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  dir: string;
  files: string[];
  bytes: number;
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Shard URLs follow TF.js' rule (tfjs-core io/http.ts): the model URL's directory, the
 * shard's path, then the model URL's query (TF Hub and Kaggle need "?tfjs-format=file"
 * on every file).
 */
export function shardUrl(modelUrl: string, shardPath: string): string {
  const u = new URL(modelUrl);
  const query = u.search;
  u.search = '';
  const resolved = new URL(shardPath, u);
  resolved.search = query;
  return resolved.toString();
}

export async function downloadModelFolder(modelUrl: string, destination: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  let url: URL;
  try {
    url = new URL(modelUrl);
  } catch {
    throw new ApiError('invalid_request', `"${modelUrl}" is not a URL`, 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ApiError('invalid_request', `${modelUrl}: only http and https downloads are supported`, 'url');
  }
  let bytes = 0;
  let totalBytes: number | null = null;
  let fileCount: number | null = null;
  const report = (file: string, fileIndex: number) => options.onProgress?.({ file, fileIndex, fileCount, bytes, totalBytes });

  const fetchFile = async (fileUrl: string, file: string, fileIndex: number): Promise<Buffer> => {
    const body = await fetchBytes(fileUrl, file, maxBytes - bytes, options, (n) => {
      bytes += n;
      report(file, fileIndex);
    });
    return body;
  };

  const jsonBytes = await fetchFile(modelUrl, 'model.json', 1);
  const json = parseModelJson(jsonBytes.toString('utf8'), modelUrl);
  const shards = json.weightsManifest.flatMap((g) => g.paths);
  fileCount = shards.length + 1;
  const need = json.weightsManifest.map(groupBytes);
  totalBytes = need.every((n) => n !== undefined) ? jsonBytes.length + need.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
  if (totalBytes !== null && totalBytes > maxBytes) {
    throw new ApiError('invalid_request', `${modelUrl} describes ${(totalBytes / 1e6).toFixed(0)} MB of weights, more than the ${(maxBytes / 1e6).toFixed(0)} MB allowed`, 'url');
  }
  report('model.json', 1);

  const files: FolderFile[] = [{ name: 'model.json', data: jsonBytes }];
  let index = 1;
  for (const [g, group] of json.weightsManifest.entries()) {
    let groupHave = 0;
    for (const p of group.paths) {
      index++;
      const data = await fetchFile(shardUrl(modelUrl, p), p, index);
      groupHave += data.length;
      files.push({ name: p, data });
    }
    const groupNeed = need[g];
    if (groupNeed !== undefined && groupNeed !== groupHave) {
      throw new ApiError(
        'io_error',
        `the weight files ${group.paths.join(', ')} from ${modelUrl} hold ${groupHave} bytes, but model.json describes ${groupNeed}: the server sent a damaged model`,
        'url',
      );
    }
  }
  writeFolderAtomic(destination, files);
  return { dir: destination, files: files.map((f) => f.name), bytes };
}

async function fetchBytes(
  fileUrl: string,
  file: string,
  budget: number,
  options: DownloadOptions,
  onChunk: (n: number) => void,
): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const abortFromCaller = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw cancelled(file);
  options.signal?.addEventListener('abort', abortFromCaller, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    arm();
    const res = await fetch(fileUrl, { signal: controller.signal, redirect: 'follow' });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ApiError(res.status === 404 ? 'not_found' : 'io_error', `${file}: ${fileUrl} answered ${res.status} ${res.statusText}`.trim(), 'url');
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    const exactLength = Number.isFinite(length) && !res.headers.get('content-encoding');
    if (exactLength && length > budget) {
      throw new ApiError('invalid_request', `${file} (${(length / 1e6).toFixed(0)} MB) would exceed the download size limit`, 'url');
    }
    if (!res.body) throw new ApiError('io_error', `${file}: ${fileUrl} sent no body`, 'url');
    const reader = res.body.getReader();
    for (;;) {
      arm();
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > budget) {
        await reader.cancel();
        throw new ApiError('invalid_request', `${file} is larger than the download size limit`, 'url');
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      onChunk(value.byteLength);
    }
    if (exactLength && received !== length) {
      throw interrupted(file, fileUrl, received, length);
    }
    return Buffer.concat(chunks);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (timedOut) {
      throw new ApiError('io_error', `${file}: no data from ${new URL(fileUrl).host} for ${timeoutMs / 1000} s; the download was stopped`, 'url');
    }
    if (options.signal?.aborted) throw cancelled(file);
    throw networkError(err, file, fileUrl, received);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abortFromCaller);
  }
}

function cancelled(file: string): ApiError {
  return new ApiError('conflict', `download cancelled while fetching ${file}`);
}

function interrupted(file: string, url: string, received: number, expected: number | null): ApiError {
  const of = expected !== null ? ` of ${expected}` : '';
  return new ApiError('io_error', `${file}: the download from ${url} was interrupted after ${received}${of} bytes; try again`, 'url');
}

/** fetch's "TypeError: fetch failed" hides the reason in err.cause (undici). */
function networkError(err: unknown, file: string, url: string, received: number): ApiError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code && NETWORK_CODES.has(code)) {
    return new ApiError(
      'io_error',
      `no network: cannot reach ${new URL(url).host} (${code}). Online models can be downloaded only with an internet connection; the bundled backbones work offline`,
      'url',
    );
  }
  if (received > 0 || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return interrupted(file, url, received, null);
  return new ApiError('io_error', `${file}: downloading ${url} failed: ${cause?.message ?? (err as Error).message}`, 'url');
}
