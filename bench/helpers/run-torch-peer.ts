// Runs the PyTorch side of `npm run bench -- cpu` (bench/peers/torch_cpu.py) as a child
// process: first a quick import check, so a machine without PyTorch gets the reason and
// the install command instead of a traceback, then the peer itself, its progress passed
// through to our stderr and its last stdout line parsed (cpu-peer.ts).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFailureReason, parsePeerOutput, type PeerCpuFigures } from './cpu-peer.js';

export const TORCH_PEER_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'torch_cpu.py');

/**
 * Where Debian puts python3-torch. A `python3` found first on PATH (pyenv, a venv) may
 * be another interpreter without it, so the system's is tried too.
 */
export const DEFAULT_PYTHONS = ['python3', '/usr/bin/python3'] as const;

/** null when `python` imports torch and torchvision, else why not. */
export function torchUnavailableReason(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${python} cannot be started: ${r.error.message}`;
  if (r.status !== 0) return importFailureReason(r.stderr ?? '', r.status).replace(/^python3/, python);
  return null;
}

/** The first interpreter that imports torch and torchvision, or why none does. */
export function findTorchPython(candidates: readonly string[]): { python: string } | { python: null; reason: string } {
  const reasons: string[] = [];
  for (const python of new Set(candidates)) {
    const reason = torchUnavailableReason(python);
    if (reason === null) return { python };
    reasons.push(reason);
  }
  return { python: null, reason: reasons.join('; ') };
}

export interface TorchPeerOptions {
  reps: number;
  /** Raw uint8 file: `count` Fashion-MNIST images, 28×28 each, row-major. */
  imagesFile: string;
  /** Raw uint8 file: `count` labels 0…9. */
  labelsFile: string;
  count: number;
  python?: string;
}

/** Runs the peer to the end; rejects with its exit code and last stderr lines when it fails. */
export function runTorchPeer(opts: TorchPeerOptions): Promise<PeerCpuFigures> {
  const args = [
    TORCH_PEER_SCRIPT,
    '--reps', String(opts.reps),
    '--images', opts.imagesFile,
    '--labels', opts.labelsFile,
    '--count', String(opts.count),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python ?? 'python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`the PyTorch peer failed (${signal ?? `exit code ${code}`}): ${tail}`));
        return;
      }
      try {
        resolve(parsePeerOutput(stdout));
      } catch (err) {
        reject(err);
      }
    });
  });
}
