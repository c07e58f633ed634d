// Backbones in plain words: their line in the picker, a download's progress, and why a
// download failed (an offline machine is the usual reason and gets its own sentence).
import { formatBytes } from '../../lib/format.js';

export interface BackboneLike {
  id: string;
  name: string;
  inputSize: number;
  featureDim: number;
  bundled: boolean;
}

/** "MobileNetV2 (224 px, 1,280 features) — bundled". */
export function backboneLabel(b: BackboneLike, defaultId: string | null): string {
  const where = b.bundled ? 'bundled' : 'in this project';
  const star = b.id === defaultId ? ', the default' : '';
  return `${b.name} (${b.inputSize} px, ${b.featureDim.toLocaleString('en-US')} features) — ${where}${star}`;
}

export interface ProgressLike {
  file: string;
  fileIndex: number;
  fileCount: number | null;
  bytes: number;
  totalBytes: number | null;
}

/** "File 2 of 5: 3.2 MB of 6 MB". */
export function downloadProgressWords(p: ProgressLike | null): string {
  if (!p) return 'Connecting…';
  const files = p.fileCount ? `File ${p.fileIndex + 1} of ${p.fileCount}` : `File ${p.fileIndex + 1}`;
  const bytes = p.totalBytes ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytes);
  return `${files}: ${bytes}`;
}

/** 0…1 for the progress bar, or null while unknown. */
export function downloadFraction(p: ProgressLike | null): number | null {
  if (!p || !p.totalBytes || p.totalBytes <= 0) return null;
  return Math.min(1, p.bytes / p.totalBytes);
}

const OFFLINE = /no network|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|fetch failed|timed out|no data from/i;

/** Why a download failed, said so a person knows what to do next. */
export function downloadFailureWords(name: string, message: string): string {
  if (OFFLINE.test(message)) {
    return `${name} could not be downloaded: this computer cannot reach the internet right now. The bundled backbone works offline; or import a model folder you already have.`;
  }
  return `${name} could not be downloaded: ${message}`;
}
