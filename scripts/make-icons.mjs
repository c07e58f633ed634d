// Renders the app icon (a 3×3 grid of photos with one tile held out, the app's idea in
// one picture) from an SVG drawn here into resources/icons/: NxN.png for Linux and the
// window, icon.png (1024) from which electron-builder derives .icns and .ico.
// Run once after changing the design: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources', 'icons');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

function tiles() {
  const out = [];
  const cell = 196;
  const gap = 36;
  const origin = (1024 - (3 * cell + 2 * gap)) / 2;
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const heldOut = row === 2 && col === 2;
      // The held-out tile is set apart (down and to the right), in the accent colour.
      const x = origin + col * (cell + gap) + (heldOut ? 34 : 0);
      const y = origin + row * (cell + gap) + (heldOut ? 34 : 0);
      const fill = heldOut ? '#f2b134' : ['#4f7cac', '#5e8fbf', '#6fa3cf'][(row + col) % 3];
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" rx="28" fill="${fill}"/>`);
    }
  }
  return out.join('');
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
<rect x="32" y="32" width="960" height="960" rx="200" fill="#1b2430"/>
${tiles()}
</svg>`;

fs.mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  await sharp(Buffer.from(svg), { density: 72 * (size / 1024) * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(path.join(outDir, `${size}x${size}.png`));
}
fs.copyFileSync(path.join(outDir, '1024x1024.png'), path.join(outDir, 'icon.png'));
console.error(`make-icons: wrote ${SIZES.length + 1} files to ${path.relative(root, outDir)}/`);
