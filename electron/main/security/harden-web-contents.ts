// Applies the navigation policy to a WebContents. main.ts calls it from
// app.on('web-contents-created'), so it covers every renderer Electron ever makes,
// not only the windows we create ourselves. Electron is only a type here: the module
// takes the WebContents it is given and so can be tested with an event-emitter fake.
import type { WebContents } from 'electron';
import { decideNavigation, decideWindowOpen } from './navigation-policy.js';

export interface HardenOptions {
  /** shell.openExternal; called only with URLs the policy validated. */
  openExternal(url: string): void;
  /** Where refusals are reported (a refusal is a bug or an attack, worth a log line). */
  log?(message: string): void;
}

type Navigable = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: Navigable, options: HardenOptions): void {
  const log = options.log ?? (() => {});
  const guard =
    (what: string) =>
    (details: { url: string; preventDefault(): void }): void => {
      if (decideNavigation(details.url) === 'allow') return;
      details.preventDefault();
      log(`${what} refused: ${String(details.url).slice(0, 200)}`);
    };
  // will-frame-navigate covers sub-frames as well as the main frame; will-navigate is
  // kept as well because it is the event every Electron version documents.
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-frame-navigate', guard('frame navigation'));
  contents.on('will-redirect', guard('redirect'));
  // webviewTag is off in webPreferences; refuse here too in case a window forgot it.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
  contents.setWindowOpenHandler((details) => {
    const decision = decideWindowOpen(details.url);
    if (decision.openExternally !== null) options.openExternal(decision.openExternally);
    else log(`window.open refused: ${String(details.url).slice(0, 200)}`);
    return { action: decision.action };
  });
}
