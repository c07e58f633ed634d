import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, externalWebUrl } from '../../../electron/main/security/navigation-policy.js';
import { APP_INDEX_URL, APP_ORIGIN, isAppUrl, MEDIA_BASE } from '../../../electron/main/security/schemes.js';

describe('isAppUrl', () => {
  it('accepts the app origin', () => {
    expect(APP_ORIGIN).toBe('app://holdout');
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://holdout/')).toBe(true);
    expect(isAppUrl('app://holdout/assets/index-abc.js?x=1#y')).toBe(true);
  });

  it('refuses look-alikes and other origins', () => {
    for (const url of [
      'app://holdout.evil.com/',
      'app://evil/',
      'app://holdout:8080/',
      'app://user@holdout/',
      'app://user:pw@holdout/',
      'apps://holdout/',
      'https://holdout/',
      'holdout-media://media/thumb/x',
      'file:///etc/passwd',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(42)).toBe(false);
  });
});

describe('decideNavigation', () => {
  it('allows navigation within the app origin', () => {
    expect(decideNavigation('app://holdout/index.html')).toBe('allow');
    expect(decideNavigation('app://holdout/#/train')).toBe('allow');
  });

  it('denies everything else', () => {
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5173/',
      'javascript:alert(1)',
      'file:///home/user/photo.jpg',
      'data:text/html,<script>alert(1)</script>',
      'blob:app://holdout/1234',
      'about:blank',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      MEDIA_BASE + 'thumb/abc',
    ]) {
      expect(decideNavigation(url), url).toBe('deny');
    }
  });
});

describe('decideWindowOpen', () => {
  it('always denies a new window', () => {
    for (const url of ['https://example.com/', 'app://holdout/index.html', 'javascript:alert(1)', '']) {
      expect(decideWindowOpen(url).action).toBe('deny');
    }
  });

  it('hands plain http(s) links to the browser, normalized', () => {
    expect(decideWindowOpen('https://www.tensorflow.org/js').openExternally).toBe('https://www.tensorflow.org/js');
    expect(decideWindowOpen('HTTP://Example.COM').openExternally).toBe('http://example.com/');
  });

  it('never opens other schemes, credentials or absurd URLs externally', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,hi',
      'app://holdout/index.html',
      'ms-msdt:/id PCWDiagnostic',
      'smb://server/share',
      'https://user:pw@example.com/',
      'https://trusted.example@evil.example/',
      `https://example.com/${'a'.repeat(3000)}`,
      'https://',
      '',
    ]) {
      expect(decideWindowOpen(url).openExternally, url).toBeNull();
    }
    expect(externalWebUrl(null)).toBeNull();
    expect(externalWebUrl({ toString: () => 'https://example.com/' })).toBeNull();
  });
});
