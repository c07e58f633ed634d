// Builds a project with N image rows quickly, for benchmarks of everything after
// import (the grid, curation views). Thumbnails are real WebP files made with sharp;
// rows cycle through a pool of them, since a grid page only shows a few hundred.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createProject } from '../../electron/engine/project/project.js';

export async function makeSyntheticProject(dir: string, count: number, options: { classes?: number; thumbPool?: number } = {}): Promise<void> {
  const classCount = options.classes ?? 10;
  const poolSize = Math.min(options.thumbPool ?? 512, count);
  fs.rmSync(dir, { recursive: true, force: true });
  const project = createProject(dir, `${count} images`);
  const shas: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const hue = (i * 47) % 360;
    const webp = await sharp({
      create: { width: 160, height: 120, channels: 3, background: `hsl(${hue}, 60%, ${30 + (i % 5) * 10}%)` },
    })
      .webp({ quality: 70 })
      .toBuffer();
    const sha = createHash('sha256').update(`synthetic-${i}`).digest('hex');
    const file = project.thumbPath(sha);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, webp);
    shas.push(sha);
  }
  const classIds: number[] = [];
  for (let c = 0; c < classCount; c++) classIds.push(project.classes.ensure(`class ${String(c + 1).padStart(2, '0')}`));
  project.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const p = `/synthetic/photos/img-${String(i).padStart(6, '0')}.jpg`;
      project.images.insert(
        {
          path: p,
          pathBytes: Buffer.from(p),
          relPath: path.basename(p),
          sha256: shas[i % poolSize]!,
          phash: (BigInt(i) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0'),
          width: 640 + (i % 7) * 100,
          height: 480 + (i % 5) * 80,
          bytes: 20_000 + ((i * 7919) % 500_000),
          format: 'jpeg',
          capturedAt: null,
          mtimeMs: 0,
          classId: i % 17 === 0 ? null : classIds[i % classCount]!,
          group: null,
        },
        null,
      );
    }
  })();
  project.close();
}
