// The pure half of `npm run bench -- cpu`: what the PyTorch peer's JSON line must hold,
// how Holdout's figures compare with it, and what to tell a person whose machine has no
// PyTorch. No I/O here, so each rule is unit-tested on its own (test/unit/bench).

/** Holdout's figures: (a) inference, (b) small-CNN training, (c) one fine-tuning step. */
export interface HoldoutCpuFigures {
  a_single_ips: number;
  a_pool_ips: number;
  b_ips: number;
  /** Seconds per fine-tuning step at c_batch images; null when no batch size ran. */
  c_step_s: number | null;
  c_batch: number;
}

/** The peer's figures, as bench/peers/torch_cpu.py prints them on its last stdout line. */
export interface PeerCpuFigures {
  /** "torch 1.13.1 / torchvision 0.14.1" */
  peer: string;
  threads: number;
  a_ips: number;
  b_ips: number;
  c_step_s: number;
  c_batch: number;
}

export interface CpuRatios {
  a: number;
  a_pool: number;
  b: number;
  /** null when Holdout's fine-tuning step did not run. */
  c: number | null;
}

/** Debian's packages, the peer the issue names; the bench itself installs nothing. */
export const PEER_INSTALL_HINT = 'sudo apt-get install python3-torch python3-torchvision   (Debian/Ubuntu; elsewhere: pip install torch torchvision)';

function positiveNumber(obj: Record<string, unknown>, field: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`the PyTorch peer's result: field "${field}" must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * The peer's figures from its whole stdout: the last non-empty line must be one JSON
 * object with every figure. Throws an Error naming the field (or the line) at fault.
 */
export function parsePeerOutput(stdout: string): PeerCpuFigures {
  const last = stdout.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  if (!last) throw new Error("the PyTorch peer printed nothing on stdout (its last line should be a JSON object)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new Error(`the PyTorch peer's last stdout line is not JSON: ${last.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`the PyTorch peer's last stdout line is not a JSON object: ${last.slice(0, 200)}`);
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj['peer'] !== 'string' || obj['peer'].length === 0) {
    throw new Error(`the PyTorch peer's result: field "peer" must name the versions, got ${JSON.stringify(obj['peer'])}`);
  }
  const threads = positiveNumber(obj, 'threads');
  if (!Number.isInteger(threads)) throw new Error(`the PyTorch peer's result: field "threads" must be a whole number, got ${threads}`);
  return {
    peer: obj['peer'],
    threads,
    a_ips: positiveNumber(obj, 'a_ips'),
    b_ips: positiveNumber(obj, 'b_ips'),
    c_step_s: positiveNumber(obj, 'c_step_s'),
    c_batch: positiveNumber(obj, 'c_batch'),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Holdout ÷ PyTorch, each as "how many times as fast" (above 1 is Holdout ahead): images/s
 * over images/s; for the fine-tuning step, images per second of stepping, which is
 * PyTorch's seconds over Holdout's when both ran the same batch. Two decimals.
 */
export function cpuRatios(holdout: HoldoutCpuFigures, peer: PeerCpuFigures): CpuRatios {
  return {
    a: round2(holdout.a_single_ips / peer.a_ips),
    a_pool: round2(holdout.a_pool_ips / peer.a_ips),
    b: round2(holdout.b_ips / peer.b_ips),
    c: holdout.c_step_s === null ? null : round2(holdout.c_batch / holdout.c_step_s / (peer.c_batch / peer.c_step_s)),
  };
}

/** The stderr message when the peer cannot run: why, and the command that installs it. */
export function peerAbsentMessage(reason: string): string {
  return (
    `bench cpu: PyTorch is not available, so only Holdout's figures are measured (${reason}).\n` +
    `To compare against the peer, install it:  ${PEER_INSTALL_HINT}\n`
  );
}

/** The first useful line of a failed `python3 -c 'import torch, torchvision'` (its last line is the exception). */
export function importFailureReason(stderr: string, exitCode: number | null): string {
  const last = stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  return last ? `python3 cannot import torch and torchvision: ${last}` : `python3 cannot import torch and torchvision (exit code ${exitCode})`;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
