// Maps a media request to a file the project owns. Used by the Electron protocol
// handler and by the web bridge alike, so both refuse the same things: anything but
// `thumb/<sha256>` (a file under the project's thumbs/) or `image/<id>` (the original
// of an image the project references). No path from the request ever reaches the disk.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { Project } from '../project/project.js';

export interface MediaFile {
  /** Absolute path; a Buffer when the original's name is not valid UTF-8. */
  file: string | Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
};

export function resolveMedia(project: Project | null, requestPath: string): MediaFile {
  if (!project) throw new ApiError('no_project', 'no project is open');
  const thumb = /^thumb\/([0-9a-f]{64})$/.exec(requestPath);
  if (thumb) {
    const file = project.thumbPath(thumb[1]!);
    // Belt and braces: the pattern already excludes separators and dots.
    const rel = path.relative(project.thumbsDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ApiError('forbidden', 'outside the project');
    // A symlink planted in thumbs/ (a project folder copied from someone else) must not
    // lead out of it: compare where the file and the folder really are.
    let realFile: string;
    let real: string;
    try {
      realFile = fs.realpathSync(file);
      real = path.relative(fs.realpathSync(project.thumbsDir), realFile);
    } catch {
      throw new ApiError('not_found', 'no thumbnail for that image');
    }
    if (real.startsWith('..') || path.isAbsolute(real)) throw new ApiError('forbidden', 'the thumbnail leads outside the project');
    // Serve the resolved path that was checked, not the link.
    return { file: realFile, contentType: 'image/webp' };
  }
  const image = /^image\/([1-9][0-9]{0,15})$/.exec(requestPath);
  if (image) {
    const source = project.images.source(Number(image[1]));
    if (!source) throw new ApiError('not_found', 'no such image in this project');
    const asText = source.pathBytes.toString('utf8');
    const file = Buffer.from(asText, 'utf8').equals(source.pathBytes) ? asText : source.pathBytes;
    return { file, contentType: CONTENT_TYPES[source.format] ?? 'application/octet-stream' };
  }
  throw new ApiError('forbidden', 'media requests must be thumb/<sha256> or image/<id>');
}
