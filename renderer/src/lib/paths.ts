// Filesystem paths as the folder browser shows them, for POSIX and Windows alike.
// The renderer never touches the disk; these only split and join strings.

export interface Crumb {
  label: string;
  path: string;
}

function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(p) || p.startsWith('\\\\');
}

/** "/home/ana/photos" -> [/, home, ana, photos]; "C:\\Users\\ana" -> [C:\\, Users, ana]. */
export function breadcrumbs(p: string): Crumb[] {
  if (!p) return [];
  if (isWindowsPath(p)) {
    const sep = '\\';
    const unc = p.startsWith('\\\\');
    const parts = p.split(/[\\/]+/).filter(Boolean);
    if (parts.length === 0) return [];
    const crumbs: Crumb[] = [];
    let acc: string;
    if (unc) {
      // \\server\share is the root of a network path.
      const root = `\\\\${parts.slice(0, 2).join(sep)}`;
      crumbs.push({ label: root, path: root });
      acc = root;
      parts.splice(0, 2);
    } else {
      const drive = `${parts[0]}${sep}`;
      crumbs.push({ label: drive, path: drive });
      acc = drive;
      parts.shift();
    }
    for (const part of parts) {
      acc = acc.endsWith(sep) ? `${acc}${part}` : `${acc}${sep}${part}`;
      crumbs.push({ label: part, path: acc });
    }
    return crumbs;
  }
  const crumbs: Crumb[] = [];
  const absolute = p.startsWith('/');
  if (absolute) crumbs.push({ label: '/', path: '/' });
  let acc = absolute ? '' : '.';
  for (const part of p.split('/').filter(Boolean)) {
    acc = acc === '.' && !absolute ? part : `${acc}/${part}`;
    crumbs.push({ label: part, path: acc });
  }
  return crumbs;
}

/** The separator the path already uses. */
export function separatorOf(p: string): '/' | '\\' {
  return isWindowsPath(p) ? '\\' : '/';
}

/** Appends one name to a folder path: joinPath("/home/ana", "cats") -> "/home/ana/cats". */
export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  if (dir.endsWith('/') || dir.endsWith('\\')) return `${dir}${name}`;
  return `${dir}${sep}${name}`;
}

/** The last part of a path: "/home/ana/photos/" -> "photos". */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) ?? p;
}

/** Everything before the last part: "/home/ana/photos/cat.jpg" -> "/home/ana/photos". */
export function folderOf(p: string): string {
  const trimmed = p.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '';
  if (cut === 0) return trimmed.slice(0, 1);
  const head = trimmed.slice(0, cut);
  return /^[A-Za-z]:$/.test(head) ? `${head}\\` : head;
}

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif', 'bmp']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(name));
}

export function isTableName(name: string): boolean {
  const ext = extensionOf(name);
  return ext === 'csv' || ext === 'json';
}
