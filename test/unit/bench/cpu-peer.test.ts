// The pure rules of `npm run bench -- cpu` (bench/helpers/cpu-peer.ts): reading the
// PyTorch peer's JSON line, the Holdout ÷ PyTorch ratios, and what a person without
// PyTorch is told.
import { describe, expect, it } from 'vitest';
import {
  cpuRatios,
  importFailureReason,
  median,
  parsePeerOutput,
  peerAbsentMessage,
  PEER_INSTALL_HINT,
  type HoldoutCpuFigures,
  type PeerCpuFigures,
} from '../../../bench/helpers/cpu-peer.js';

const peerLine = { peer: 'torch 1.13.1 / torchvision 0.14.1', threads: 2, a_ips: 80, a_setting: 'TorchScript', b_ips: 1500, c_step_s: 0.5, c_batch: 16 };

describe('parsePeerOutput', () => {
  it('reads the last non-empty line and keeps the figures', () => {
    const out = `some warning\n${JSON.stringify({ peer: 'old' })}\n${JSON.stringify(peerLine)}\n\n`;
    expect(parsePeerOutput(out)).toEqual({ peer: peerLine.peer, threads: 2, a_ips: 80, b_ips: 1500, c_step_s: 0.5, c_batch: 16 });
  });

  it('names the missing or bad field', () => {
    const { b_ips: _, ...noB } = peerLine;
    expect(() => parsePeerOutput(JSON.stringify(noB))).toThrow(/field "b_ips" must be a positive number, got undefined/);
    expect(() => parsePeerOutput(JSON.stringify({ ...peerLine, a_ips: 0 }))).toThrow(/field "a_ips"/);
    expect(() => parsePeerOutput(JSON.stringify({ ...peerLine, c_step_s: 'fast' }))).toThrow(/field "c_step_s".*"fast"/);
    expect(() => parsePeerOutput(JSON.stringify({ ...peerLine, threads: 1.5 }))).toThrow(/field "threads" must be a whole number/);
    expect(() => parsePeerOutput(JSON.stringify({ ...peerLine, peer: '' }))).toThrow(/field "peer"/);
  });

  it('rejects output that is empty, not JSON, or not an object', () => {
    expect(() => parsePeerOutput('\n  \n')).toThrow(/printed nothing/);
    expect(() => parsePeerOutput('Traceback (most recent call last):')).toThrow(/not JSON: Traceback/);
    expect(() => parsePeerOutput('[1, 2]')).toThrow(/not a JSON object/);
  });
});

describe('cpuRatios', () => {
  const peer: PeerCpuFigures = { peer: 'torch', threads: 2, a_ips: 80, b_ips: 1500, c_step_s: 0.5, c_batch: 16 };

  it('divides Holdout by PyTorch so that above 1 means Holdout is faster', () => {
    const holdout: HoldoutCpuFigures = { a_single_ips: 40, a_pool_ips: 100, b_ips: 750, c_step_s: 2, c_batch: 16 };
    expect(cpuRatios(holdout, peer)).toEqual({ a: 0.5, a_pool: 1.25, b: 0.5, c: 0.25 });
  });

  it('compares the fine-tuning step per image when Holdout ran a smaller batch', () => {
    // 8 images in 1 s against 16 in 0.5 s: 8 vs 32 images/s.
    const holdout: HoldoutCpuFigures = { a_single_ips: 40, a_pool_ips: 100, b_ips: 750, c_step_s: 1, c_batch: 8 };
    expect(cpuRatios(holdout, peer).c).toBe(0.25);
  });

  it('gives no ratio for a step that did not run, and rounds to two decimals', () => {
    const holdout: HoldoutCpuFigures = { a_single_ips: 10, a_pool_ips: 20, b_ips: 500, c_step_s: null, c_batch: 16 };
    expect(cpuRatios(holdout, peer)).toEqual({ a: 0.13, a_pool: 0.25, b: 0.33, c: null });
  });
});

describe('when PyTorch is absent', () => {
  it('the message says why and how to install the Debian packages', () => {
    const msg = peerAbsentMessage("python3 cannot import torch and torchvision: ModuleNotFoundError: No module named 'torch'");
    expect(msg).toContain("No module named 'torch'");
    expect(msg).toContain('apt-get install python3-torch python3-torchvision');
    expect(msg).toContain(PEER_INSTALL_HINT);
  });

  it('the reason is the import error, the last line of the traceback', () => {
    const stderr = "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'torchvision'\n";
    expect(importFailureReason(stderr, 1)).toBe("python3 cannot import torch and torchvision: ModuleNotFoundError: No module named 'torchvision'");
    expect(importFailureReason('', 139)).toBe('python3 cannot import torch and torchvision (exit code 139)');
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});
