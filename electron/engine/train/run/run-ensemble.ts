// Trains an ensemble: its members one after another in this one worker (training uses
// every core already, so members side by side would only contend), each an ordinary run
// (runTraining) with its own seed. Members that completed are skipped, so a resume after
// Stop, a crash or a closed app continues from the member in progress (which resumes from
// its own last checkpoint). When the last member completes, the ensemble's own validation
// accuracy and loss are those of the members' averaged probabilities, recorded on the
// ensemble run so the run list compares it with any other run.
import path from 'node:path';
import process from 'node:process';
import { ApiError } from '../../../api/errors.js';
import { ensembleValidation } from '../../evaluate/ensemble-scores.js';
import { openDatabase } from '../../store/database.js';
import { RunsRepo, type Run } from '../../store/runs-repo.js';
import { selectBackend } from '../backend/select-backend.js';
import { parseTrainConfig } from '../config.js';
import { runSummary, type RunSummary, type TrainProgress } from './progress.js';
import { runTraining, type RunTrainingOptions } from './run-training.js';

const ACTIVE = new Set(['running', 'stopping']);

export async function runEnsemble(opts: RunTrainingOptions): Promise<RunSummary> {
  const db = openDatabase(path.join(opts.projectDir, 'holdout.db'));
  const runs = new RunsRepo(db);
  const started = performance.now();
  let backendLabel = 'not chosen yet';
  let ensemble: Run =
    runs.get(opts.runId) ??
    (() => {
      throw new ApiError('not_found', `run ${opts.runId} does not exist`, 'run');
    })();
  if (ensemble.kind !== 'ensemble') {
    db.close();
    throw new ApiError('invalid_request', `run ${opts.runId} is not an ensemble`, 'run');
  }
  const members = runs.members(ensemble.id);
  const memberSeconds = () => runs.members(ensemble.id).reduce((s, m) => s + (m.seconds ?? 0), 0);
  const totals = () => {
    const now = runs.members(ensemble.id);
    return { seconds: memberSeconds(), epochsRun: now.reduce((s, m) => s + m.epochsRun, 0) };
  };
  const finishAs = (status: 'stopped' | 'failed', reason: { stopReason?: string; error?: string }) =>
    runs.finish(ensemble.id, {
      status,
      ...reason,
      ...totals(),
      bestEpoch: null,
      bestValLoss: ensemble.bestValLoss,
      bestValAccuracy: ensemble.bestValAccuracy,
      stoppedEarly: false,
    });

  try {
    if (members.length === 0) throw new ApiError('conflict', `ensemble ${ensemble.id} has no members`, 'run');
    const { resolved: _resolved, ...stored } = ensemble.config as Record<string, unknown>;
    const config = parseTrainConfig(stored);
    const backend = await selectBackend(config.backend);
    backendLabel = backend.label;
    ensemble = runs.markRunning(ensemble.id, process.pid, backend.label, { id: backend.id, threads: backend.threads, skipped: backend.skipped });
    // Only this ensemble's worker trains its members, and it was not running (markRunning
    // refuses that): a member still marked active was left so by a worker that died.
    for (const m of members) {
      if (ACTIVE.has(m.status)) runs.markInterrupted(m.id, 'the ensemble\'s training process ended while this member trained');
    }
    const count = members.length;
    const done = members.filter((m) => m.status === 'completed').length;
    opts.emit({
      type: 'status',
      runId: ensemble.id,
      backend: backend.label,
      status: 'running',
      message: done === 0 ? `Ensemble of ${count} members: training them one after another` : `Resuming the ensemble: ${done} of ${count} members are trained`,
      member: null,
    });

    for (const [i, member] of members.entries()) {
      if (runs.get(member.id)!.status === 'completed') continue;
      if (opts.shouldStop()) {
        ensemble = finishAs('stopped', { stopReason: 'stopped by the user' });
        return end();
      }
      const tag = { index: i + 1, count, runId: member.id };
      const summary = await runTraining({
        projectDir: opts.projectDir,
        runId: member.id,
        shouldStop: opts.shouldStop,
        // The member's events under the ensemble's id (the run the caller watches), tagged.
        // Its end becomes a status line: the ensemble ends once, after its last member.
        emit: (event: TrainProgress) => {
          if (event.type !== 'end') {
            opts.emit({ ...event, runId: ensemble.id, member: tag });
            return;
          }
          const s = event.summary;
          const acc = s.bestValAccuracy === null ? 'no validation accuracy' : `validation accuracy ${(s.bestValAccuracy * 100).toFixed(1)}%`;
          opts.emit({ type: 'status', runId: ensemble.id, backend: event.backend, status: 'running', message: `Member ${i + 1} of ${count} ${s.status}: ${acc}`, member: tag });
        },
      });
      if (summary.status === 'stopped') {
        ensemble = finishAs('stopped', { stopReason: `stopped by the user during member ${i + 1} of ${count}` });
        return end();
      }
      if (summary.status !== 'completed') {
        ensemble = finishAs('failed', { error: `member ${i + 1} of ${count} (run ${member.id}) ${summary.status}: ${summary.error ?? summary.stopReason ?? 'no reason given'}` });
        return end();
      }
      // The ensemble's model kind is its members' (all share the configuration but perhaps
      // the backbone: then the backbones are listed, and no single input size is claimed).
      if ((ensemble.config as { resolved?: unknown }).resolved === undefined) {
        const m = runs.get(member.id)!;
        const resolved = (m.config as { resolved?: Record<string, unknown> }).resolved ?? {};
        const backbones = [...new Set(members.map((x) => (x.config as { backbone?: string }).backbone).filter((b): b is string => b !== undefined))];
        const mixed = backbones.length > 1 ? { backbone: backbones.join(' + '), inputSize: undefined, reason: `an ensemble over ${backbones.length} backbones: ${backbones.join(', ')}` } : {};
        ensemble = runs.recordResolvedConfig(ensemble.id, m.modelKind ?? 'unknown', { ...resolved, members: count, ...mixed });
      }
    }

    // The members' own label says how many threads computed them (a pool, gradient
    // workers): the ensemble's says the same, not the label chosen before they started.
    const trained = runs.get(members.at(-1)!.id)!;
    if (trained.backend) {
      backendLabel = trained.backend;
      ensemble = runs.setBackend(ensemble.id, trained.backend, trained.backendDetail);
    }
    opts.emit({ type: 'status', runId: ensemble.id, backend: backendLabel, status: 'running', message: `Averaging the ${count} members on the validation images`, member: null });
    const averaging = performance.now();
    const scored = await ensembleValidation(db, opts.projectDir, ensemble);
    const spread = scored.members.map((m) => `${(m.accuracy * 100).toFixed(1)}%`).join(', ');
    ensemble = runs.finish(ensemble.id, {
      status: 'completed',
      stopReason: `all ${count} members trained; members' validation accuracy ${spread}`,
      ...totals(),
      // The members' own times (every session of each) plus the averaging just done.
      seconds: memberSeconds() + (performance.now() - averaging) / 1000,
      bestEpoch: null,
      bestValLoss: scored.loss,
      bestValAccuracy: scored.accuracy,
      stoppedEarly: false,
    });
  } catch (err) {
    ensemble = finishAs('failed', { error: err instanceof Error ? err.message : String(err) });
  }
  return end();

  function end(): RunSummary {
    db.close();
    const s = runSummary(ensemble, { backend: backendLabel, seconds: (performance.now() - started) / 1000 });
    opts.emit({ type: 'end', runId: ensemble.id, backend: s.backend, summary: s, member: null });
    return s;
  }
}
