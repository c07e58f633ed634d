// A small thumbnail of a file outside the project, as a data: URL carried in the result:
// the app serves thumbnails by the sha256 of imported images only, and an outside file
// has none. 96 px WebP is a few kilobytes; the same EXIF turn and white background as
// the model's input, so the person sees what the model saw.
import sharp from 'sharp';

export const PREDICT_THUMB_SIZE = 96;

export async function thumbnailDataUrl(bytes: Buffer, maxPixels: number): Promise<string | null> {
  try {
    const webp = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'none' })
      .rotate()
      .resize(PREDICT_THUMB_SIZE, PREDICT_THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .webp({ quality: 70, effort: 2 })
      .toBuffer();
    return `data:image/webp;base64,${webp.toString('base64')}`;
  } catch {
    // The image was decoded already for the model; a thumbnail that fails costs only the picture.
    return null;
  }
}
