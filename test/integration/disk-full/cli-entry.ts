// Runs the `holdout` command from source (these tests must not depend on a built dist/).
import { run } from '../../../electron/cli/main.js';

await run(process.argv.slice(2));
