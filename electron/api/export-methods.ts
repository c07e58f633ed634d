// The contract's export methods. Spread into `methods` in contract.ts. The export and
// its parity check run in a worker; progress arrives as `export.progress` events.
import { z } from 'zod';
import { ExportRunRequest, ExportRunResult } from './export-schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const exportMethods = {
  /**
   * Exports a run's best checkpoint (an ensemble: each member's) into outDir: TF.js model
   * files, labels.json, preprocessing.json, model-card.md/.json and examples; then runs
   * the export's Node example in a fresh process on up to 32 validation images and
   * compares with the app's probabilities. outDir must be absent, empty, or an earlier
   * Holdout export. `parity.passed: false` means the export must not be used.
   */
  'export.run': method(ExportRunRequest, ExportRunResult),
} as const;
