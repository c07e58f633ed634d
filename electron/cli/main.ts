// The `holdout` command: the same engine as the app, driven from a terminal.
// See the README ("Command line") for every command and the JSON lines it prints.
import { MAX_HASH_DISTANCE } from '../api/limits.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { evaluateCommand } from './commands/evaluate-command.js';
import { exportCommand } from './commands/export-command.js';
import { importCommand } from './commands/import-command.js';
import { infoCommand } from './commands/info-command.js';
import { DEFAULT_THRESHOLD, inspectCommand } from './commands/inspect-command.js';
import { labelCommand } from './commands/label-command.js';
import { leakageCommand } from './commands/leakage-command.js';
import { predictCommand } from './commands/predict-command.js';
import { runsCommand } from './commands/runs-command.js';
import { serveCommand } from './commands/serve-command.js';
import { LEAKAGE_OPTIONS, leakageArgs, SPLIT_OPTIONS, splitArgs } from './commands/split-args.js';
import { splitCommand } from './commands/split-command.js';
import { trainCommand } from './commands/train-command.js';
import { reportError, UsageError } from './output.js';

const USAGE = `Usage:
  holdout import <folder> --project <dir> [--unlabeled]   import a folder (one sub-folder per class)
  holdout import [<folder>] --project <dir> --csv <file>  import from a CSV of path,label[,group]
  holdout info --project <dir>                            image and class counts
  holdout inspect --project <dir> [--threshold N]         class balance, extremes, duplicates (N: 0-12 bits, default 6)
  holdout label --project <dir> --csv <file> [--create-classes] [--base-dir <dir>]
                                                          apply labels from a CSV of path,label (all or nothing)
  holdout split --project <dir> [--ratios 70,15,15] [--seed N] [--group-by G]... [--threshold N] [--dry-run]
                                                          a stratified, group-aware train/validation/test split, saved as a
                                                          new version (G: folder, csv, near-duplicates[:N], time:<seconds>,
                                                          regex:<pattern>; repeat to combine; --dry-run only previews)
  holdout split --project <dir> --add-new [--allow-test]  place images added since the split (train/validation only, unless --allow-test)
  holdout leakage --project <dir> [--version N] [--threshold N]
                                                          near duplicates and groups that cross the splits
  holdout train --project <dir> [--config <json file>] [--resume <run>]
                                                          train a model on the current split (progress lines, then a "train" line)
  holdout runs --project <dir>                            every run, newest first: settings summary and best validation metrics
  holdout evaluate --project <dir> --run <id> --split validation|test [--confirm-test]
                                                          accuracy, per-class metrics and confusion matrix of a run's best model;
                                                          the test split only with --confirm-test (recorded in the lockbox ledger)
  holdout export --project <dir> --run <id> --out <dir>
                                                          a self-contained TF.js folder (model, labels, preprocessing, model card,
                                                          Node and browser examples), checked in a fresh process; exit 1 if not equal
  holdout predict --project <dir> --run <id> <image or folder>...
                                                          a run's predicted class and probabilities for each image (an ensemble
                                                          averages its members); one line per image, then a summary
  holdout serve [--project <dir>] [--port N] [--settings-dir <dir>]
                                                          open the app in a browser
Every command prints JSON lines on stdout; the last one is the result.`;

function requireProject(value: string | undefined, command: string): string {
  if (!value) throw new UsageError(`${command} needs --project <dir>`);
  return value;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

function parseThreshold(value: string | undefined): number {
  if (value === undefined) return DEFAULT_THRESHOLD;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_HASH_DISTANCE) throw new UsageError(`--threshold must be a whole number of bits from 0 to ${MAX_HASH_DISTANCE}, not "${value}"`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const strictParse = (options: NonNullable<ParseArgsConfig['options']>) => {
    try {
      return parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  switch (command) {
    case 'import': {
      const { values, positionals } = strictParse({
        project: { type: 'string' },
        csv: { type: 'string' },
        unlabeled: { type: 'boolean' },
      });
      if (positionals.length > 1) throw new UsageError(`import takes one folder, got ${positionals.length}`);
      return importCommand({
        folder: positionals[0],
        project: requireProject(values.project as string | undefined, 'import'),
        csv: values.csv as string | undefined,
        unlabeled: Boolean(values.unlabeled),
      });
    }
    case 'info': {
      const { values, positionals } = strictParse({ project: { type: 'string' } });
      if (positionals.length) throw new UsageError(`info takes no positional arguments`);
      return infoCommand({ project: requireProject(values.project as string | undefined, 'info') });
    }
    case 'inspect': {
      const { values, positionals } = strictParse({ project: { type: 'string' }, threshold: { type: 'string' } });
      if (positionals.length) throw new UsageError(`inspect takes no positional arguments`);
      return inspectCommand({
        project: requireProject(values.project as string | undefined, 'inspect'),
        threshold: parseThreshold(values.threshold as string | undefined),
      });
    }
    case 'label': {
      const { values, positionals } = strictParse({
        project: { type: 'string' },
        csv: { type: 'string' },
        'create-classes': { type: 'boolean' },
        'base-dir': { type: 'string' },
      });
      if (positionals.length) throw new UsageError(`label takes no positional arguments`);
      const csv = values.csv as string | undefined;
      if (!csv) throw new UsageError('label needs --csv <file> (rows of path,label)');
      return labelCommand({
        project: requireProject(values.project as string | undefined, 'label'),
        csv,
        createClasses: Boolean(values['create-classes']),
        baseDir: values['base-dir'] as string | undefined,
      });
    }
    case 'split': {
      const { values, positionals } = strictParse(SPLIT_OPTIONS);
      return splitCommand(splitArgs(values, positionals));
    }
    case 'leakage': {
      const { values, positionals } = strictParse(LEAKAGE_OPTIONS);
      return leakageCommand(leakageArgs(values, positionals));
    }
    case 'train': {
      const { values, positionals } = strictParse({
        project: { type: 'string' },
        config: { type: 'string' },
        resume: { type: 'string' },
      });
      if (positionals.length) throw new UsageError('train takes no positional arguments');
      return trainCommand({
        project: requireProject(values.project as string | undefined, 'train'),
        config: values.config as string | undefined,
        resume: values.resume as string | undefined,
      });
    }
    case 'runs': {
      const { values, positionals } = strictParse({ project: { type: 'string' } });
      if (positionals.length) throw new UsageError('runs takes no positional arguments');
      return runsCommand({ project: requireProject(values.project as string | undefined, 'runs') });
    }
    case 'evaluate': {
      const { values, positionals } = strictParse({
        project: { type: 'string' },
        run: { type: 'string' },
        split: { type: 'string' },
        'confirm-test': { type: 'boolean' },
      });
      if (positionals.length) throw new UsageError('evaluate takes no positional arguments');
      return evaluateCommand({
        project: requireProject(values.project as string | undefined, 'evaluate'),
        run: values.run as string | undefined,
        split: values.split as string | undefined,
        confirmTest: Boolean(values['confirm-test']),
      });
    }
    case 'export': {
      const { values, positionals } = strictParse({ project: { type: 'string' }, run: { type: 'string' }, out: { type: 'string' } });
      if (positionals.length) throw new UsageError('export takes no positional arguments');
      return exportCommand({
        project: requireProject(values.project as string | undefined, 'export'),
        run: values.run as string | undefined,
        out: values.out as string | undefined,
      });
    }
    case 'predict': {
      const { values, positionals } = strictParse({ project: { type: 'string' }, run: { type: 'string' } });
      return predictCommand({
        project: requireProject(values.project as string | undefined, 'predict'),
        run: values.run as string | undefined,
        paths: positionals,
      });
    }
    case 'serve': {
      const { values, positionals } = strictParse({
        project: { type: 'string' },
        port: { type: 'string' },
        'settings-dir': { type: 'string' },
      });
      if (positionals.length) throw new UsageError(`serve takes no positional arguments`);
      return serveCommand({
        project: values.project as string | undefined,
        port: parsePort(values.port as string | undefined),
        settingsDir: values['settings-dir'] as string | undefined,
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

export async function run(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (err) {
    code = reportError(err);
  }
  process.exitCode = code;
}
