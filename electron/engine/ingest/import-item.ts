// What the listing stage (a folder walk or a CSV) hands to the processing stage.
import type { ImportError } from '../../api/schemas.js';

export interface ImportItem {
  /** The absolute path exactly as the filesystem spells it (names need not be UTF-8). */
  pathBytes: Buffer;
  /** Its readable form, for display and error lists. */
  path: string;
  /** The path relative to the imported folder (or to the CSV's folder). */
  relPath: string;
  /** The class to assign; null leaves the image unlabeled. */
  className: string | null;
  group: string | null;
  /** The CSV line that listed it, so its errors can say "row N: …". */
  row?: number;
}

export interface Listing {
  items: ImportItem[];
  /** Files refused before reading (by name, by layout, by CSV row). */
  errors: ImportError[];
}
