// When a grid tile's thumbnail is fetched. Scrolling fast through 100,000 images mounts
// and unmounts thousands of tiles; if each <img> asked for its thumbnail at once, the
// requests of tiles long gone queued ahead of those on screen (a jump to the end once
// waited 9.5 s behind ~1,400 of them). So an <img> gets its src only after it has been
// on screen (inside the grid's scroll box) for a frame, and loses it when it leaves the
// screen before its picture arrived, or is unmounted: Chromium cancels the request of
// an <img> whose src is removed.
import type { Action } from 'svelte/action';

interface Thumb {
  url: string;
  /** On screen, as the observer last said. */
  visible: boolean;
  /** The pending animation frame that gives the src, 0 when none. */
  frame: number;
}

export class ThumbLoader {
  readonly #observer: IntersectionObserver;
  readonly #thumbs = new Map<HTMLImageElement, Thumb>();

  constructor() {
    // The viewport as root: the intersection is clipped by the grid's scroll box, so
    // the buffer rows the virtual list keeps above and below it count as off screen.
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.#seen(entry.target as HTMLImageElement, entry.isIntersecting);
    });
  }

  /** `use:loader.thumb={url}` on a tile's <img>. */
  readonly thumb: Action<HTMLImageElement, string> = (img, url) => {
    this.#thumbs.set(img, { url, visible: false, frame: 0 });
    this.#observer.observe(img);
    return {
      update: (next: string) => {
        const t = this.#thumbs.get(img);
        if (!t || t.url === next) return;
        t.url = next;
        // Already showing (the data behind the tile changed): show the new one at once.
        if (img.hasAttribute('src')) img.src = next;
      },
      destroy: () => {
        this.#observer.unobserve(img);
        const t = this.#thumbs.get(img);
        if (t?.frame) cancelAnimationFrame(t.frame);
        this.#thumbs.delete(img);
        if (!img.complete) img.removeAttribute('src');
      },
    };
  };

  /** Stops observing (the grid is gone). */
  disconnect(): void {
    this.#observer.disconnect();
    for (const t of this.#thumbs.values()) if (t.frame) cancelAnimationFrame(t.frame);
    this.#thumbs.clear();
  }

  #seen(img: HTMLImageElement, visible: boolean): void {
    const t = this.#thumbs.get(img);
    if (!t) return;
    t.visible = visible;
    if (visible) {
      if (img.hasAttribute('src') || t.frame) return;
      // Two frames: the observer's next report (after the first) says whether the tile
      // is still on screen, so a tile that only flew past never starts a request.
      t.frame = requestAnimationFrame(() => {
        t.frame = requestAnimationFrame(() => {
          t.frame = 0;
          if (t.visible && this.#thumbs.get(img) === t) img.src = t.url;
        });
      });
    } else {
      if (t.frame) cancelAnimationFrame(t.frame);
      t.frame = 0;
      // Scrolled away before its picture arrived: abandon the request.
      if (img.hasAttribute('src') && !img.complete) img.removeAttribute('src');
    }
  }
}
