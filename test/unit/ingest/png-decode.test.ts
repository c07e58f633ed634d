// The JS PNG path must give exactly the pixels sharp's decode gives, or step aside.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeSmallPng } from '../../../electron/engine/ingest/png-decode.js';
import { RESIZE } from '../../../electron/engine/ingest/process-file.js';
import { pictureRgb, pngBomb } from '../../fixtures/images/make-images.js';

async function viaSharp(png: Buffer) {
  const { data, info } = await sharp(png).rotate().resize(RESIZE).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function base(width: number, height: number, seed = 1) {
  const { data } = pictureRgb({ width, height, seed });
  return sharp(data, { raw: { width, height, channels: 3 } });
}

describe('decodeSmallPng', () => {
  it('gives the same pixels as sharp for every colour type it decodes', async () => {
    const cases: [string, Buffer][] = [
      ['rgb 28×28', await base(28, 28).png().toBuffer()],
      ['rgb odd width', await base(37, 5).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer()],
      ['rgb 1×1', await base(1, 1).png().toBuffer()],
      ['rgb 256×200', await base(256, 200).png({ adaptiveFiltering: true }).toBuffer()],
      ['grey', await base(30, 20).greyscale().png().toBuffer()],
      ['grey + alpha', await base(30, 20).greyscale().ensureAlpha(0.4).png().toBuffer()],
      ['rgba', await base(30, 20).ensureAlpha(0.7).png({ adaptiveFiltering: true }).toBuffer()],
      ['palette', await base(40, 30).png({ palette: true }).toBuffer()],
      ['palette 4-bit', await base(41, 30).png({ palette: true, colours: 16 }).toBuffer()],
      ['palette 2-bit', await base(43, 7).png({ palette: true, colours: 4 }).toBuffer()],
      ['palette 1-bit', await base(45, 9).png({ palette: true, colours: 2 }).toBuffer()],
      ['palette + transparency', await base(40, 30).ensureAlpha(0.5).png({ palette: true }).toBuffer()],
      ['grey palette', await base(40, 30).greyscale().png({ palette: true }).toBuffer()],
    ];
    for (const [name, png] of cases) {
      const ours = decodeSmallPng(png, 256);
      expect(ours, name).not.toBeNull();
      const theirs = await viaSharp(png);
      expect([ours!.width, ours!.height, ours!.channels], name).toEqual([theirs.width, theirs.height, theirs.channels]);
      expect(Buffer.compare(ours!.data, theirs.data), name).toBe(0);
    }
  });

  it('steps aside for what it does not decode exactly like libvips', async () => {
    const rgb = base(30, 20);
    const cases: [string, Buffer][] = [
      ['too large to skip the resize', await base(300, 20).png().toBuffer()],
      ['16-bit', await rgb.clone().toColourspace('rgb16').png().toBuffer()],
      ['interlaced', await rgb.clone().png({ progressive: true }).toBuffer()],
      ['colour profile', await rgb.clone().withIccProfile('p3').png().toBuffer()],
      ['a bomb header', pngBomb()],
    ];
    for (const [name, png] of cases) expect(decodeSmallPng(png, 256), name).toBeNull();
  });

  it('steps aside for damaged files (sharp then names the damage)', async () => {
    const png = await base(30, 20).png().toBuffer();
    const flipped = Buffer.from(png);
    flipped[60] = flipped[60]! ^ 0xff; // inside IDAT: the chunk CRC no longer matches
    expect(decodeSmallPng(flipped, 256)).toBeNull();
    expect(decodeSmallPng(png.subarray(0, png.length - 12), 256)).toBeNull(); // no IEND
  });
});
