// holdout serve [--project <dir>] [--port N] [--settings-dir <dir>]
// Serves the built UI and the web bridge on 127.0.0.1 and prints the URL to open,
// token included, as a notebook server does. Runs until interrupted.
import fs from 'node:fs';
import path from 'node:path';
import { createService } from '../../engine/service/create-service.js';
import { defaultSettingsDir } from '../../engine/settings/settings-dir.js';
import { packageInfo } from '../../engine/util/package-info.js';
import { startBridge } from '../../server/bridge-server.js';
import { EventHub } from '../../server/event-hub.js';
import { emitLine, UsageError } from '../output.js';

export interface ServeArgs {
  project: string | undefined;
  port: number;
  settingsDir: string | undefined;
}

export async function serveCommand(args: ServeArgs): Promise<number> {
  const staticDir = path.join(packageInfo().root, 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new UsageError(`the UI is not built (${staticDir} has no index.html): run 'npm run build' first`);
  }
  const hub = new EventHub();
  const service = createService({ settingsDir: args.settingsDir ?? defaultSettingsDir(), shell: 'web', emit: hub.emit });
  if (args.project) service.openProjectDir(args.project);
  const bridge = await startBridge({ service, hub, staticDir, port: args.port });
  emitLine('serve', { url: bridge.url, port: bridge.port, token: bridge.token, project: service.project()?.dir ?? null });
  process.stderr.write(`Holdout is running. Open this address in your browser:\n  ${bridge.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  await service.dispose();
  return 0;
}
