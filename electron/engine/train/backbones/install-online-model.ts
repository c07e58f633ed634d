// Catalog model → usable backbone: download into a hidden staging folder, then import
// it (which checks it runs and writes backbone.json) into the destination at once,
// then drop the staging folder. Any failure leaves neither folder behind.
import fs from 'node:fs';
import { tempSibling } from './atomic-folder.js';
import type { CatalogEntry } from './catalog.js';
import type { BackboneEntry } from './descriptor.js';
import { downloadModelFolder, type DownloadOptions } from './download-model.js';
import { importModelFolder } from './import-model-folder.js';

export async function installOnlineModel(entry: CatalogEntry, destination: string, options: DownloadOptions = {}): Promise<BackboneEntry> {
  const staging = tempSibling(destination);
  try {
    await downloadModelFolder(entry.modelUrl, staging, options);
    return await importModelFolder(staging, destination, {
      id: entry.id,
      name: entry.name,
      ...(entry.featureLayer ? { featureLayer: entry.featureLayer } : {}),
      inputSize: entry.inputSize,
      preprocessing: entry.preprocessing,
      licence: entry.licence,
      source: { url: entry.modelUrl, homepage: entry.homepage },
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
