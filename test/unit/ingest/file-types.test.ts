import { describe, expect, it } from 'vitest';
import { isJunkFile, isWalkableFolder, judgeName, sniff } from '../../../electron/engine/ingest/file-types.js';
import { bmp, picture, pngBomb, SVG } from '../../fixtures/images/make-images.js';

describe('judgeName', () => {
  it('accepts image extensions in any case', () => {
    for (const name of ['a.jpg', 'B.JPEG', 'c.png', 'd.webp', 'e.gif', 'f.tif', 'g.TIFF', 'h.avif', 'i.heic', 'j.jfif']) {
      expect(judgeName(name)).toEqual({ kind: 'image' });
    }
  });
  it('names the unsupported picture formats', () => {
    expect(judgeName('scan.bmp')).toEqual({ kind: 'error', reason: expect.stringMatching(/^unsupported format \(BMP\)/) });
    expect(judgeName('logo.svg')).toEqual({ kind: 'error', reason: expect.stringMatching(/^unsupported format \(SVG\)/) });
    expect(judgeName('favicon.ico')).toEqual({ kind: 'error', reason: expect.stringMatching(/\(ICO\)/) });
    expect(judgeName('doc.PDF')).toEqual({ kind: 'error', reason: expect.stringMatching(/\(PDF\)/) });
  });
  it('lists other files as not images, with their extension', () => {
    expect(judgeName('notes.txt')).toEqual({ kind: 'error', reason: 'not an image file type (.txt)' });
    expect(judgeName('README')).toEqual({ kind: 'error', reason: 'not an image file type (no extension)' });
  });
});

describe('junk', () => {
  it('skips dotfiles and OS clutter', () => {
    for (const name of ['.DS_Store', '._photo.jpg', 'Thumbs.db', 'desktop.ini', 'DESKTOP.INI']) expect(isJunkFile(name)).toBe(true);
    expect(isJunkFile('photo.jpg')).toBe(false);
  });
  it('does not walk hidden or OS folders', () => {
    expect(isWalkableFolder('.git')).toBe(false);
    expect(isWalkableFolder('__MACOSX')).toBe(false);
    expect(isWalkableFolder('cats')).toBe(true);
  });
});

describe('sniff', () => {
  it('recognises the accepted formats by their first bytes', async () => {
    for (const format of ['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const) {
      expect(sniff(await picture(format, { width: 16, height: 16 }))).toEqual({ kind: 'image' });
    }
    expect(sniff(pngBomb())).toEqual({ kind: 'image' });
  });
  it('names formats we refuse', () => {
    expect(sniff(bmp())).toEqual({ kind: 'unsupported', format: 'BMP' });
    expect(sniff(SVG)).toEqual({ kind: 'unsupported', format: 'SVG' });
    expect(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toEqual({ kind: 'unsupported', format: 'SVG' });
    expect(sniff(Buffer.from('%PDF-1.7\n'))).toEqual({ kind: 'unsupported', format: 'PDF' });
    expect(sniff(Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]))).toEqual({ kind: 'unsupported', format: 'ICO' });
  });
  it('tells text from other unknown bytes', () => {
    expect(sniff(Buffer.from('just some notes\nin a file\n'))).toEqual({ kind: 'unknown', text: true });
    expect(sniff(Buffer.from([1, 2, 3, 0, 250, 251]))).toEqual({ kind: 'unknown', text: false });
  });
});
