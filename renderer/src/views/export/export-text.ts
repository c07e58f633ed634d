// Words of the Export dialog: why a run cannot be exported, what the export is doing,
// and what the parity check found. Pure, so they are unit-tested.
export interface ExportableRun {
  status: string;
  bestEpoch: number | null;
  modelKind: string | null;
  kind: string;
}

export interface ParityView {
  images: number;
  maxAbsDiff: number | null;
  passed: boolean;
  tolerance: number;
  error: string | null;
}

const ACTIVE = new Set(['queued', 'running', 'stopping']);

/** Why a run cannot be exported now, or null when it can. */
export function exportBlocked(run: ExportableRun): string | null {
  if (ACTIVE.has(run.status)) return 'It is still training: export it when it has finished.';
  if (run.kind !== 'ensemble' && run.bestEpoch === null) return 'It has no saved model to export (no epoch finished).';
  return null;
}

const PHASES: Record<string, string> = {
  loading: 'Loading the model…',
  writing: 'Writing the model files…',
  'in-app': 'Predicting validation images in the app…',
  example: 'Running the exported example in a fresh process…',
  finishing: 'Writing the model card…',
};

export function phaseText(phase: string): string {
  return PHASES[phase] ?? phase;
}

/** One sentence on the parity check, for the person who will use the export. */
export function parityText(p: ParityView): string {
  if (p.passed) {
    return `Checked: on ${p.images} validation image${p.images === 1 ? '' : 's'}, the exported files give the app's predictions (largest difference ${formatDiff(p.maxAbsDiff)}, allowed ${p.tolerance}).`;
  }
  return `The check FAILED: the exported files do not give the app's predictions, so do not use this export. ${p.error ?? ''}`.trim();
}

export function formatDiff(x: number | null): string {
  if (x === null) return '—';
  if (x === 0) return '0';
  return x.toExponential(1);
}
