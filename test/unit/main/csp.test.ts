import { describe, expect, it } from 'vitest';
import { CSP, contentSecurityPolicy, cspApplies, withCspHeader } from '../../../electron/main/security/csp.js';

function parse(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('CSP', () => {
  const directives = parse(CSP);

  it('has exactly the directives the spec asks for', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'holdout-media:', 'data:', 'blob:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('never allows inline or eval-ed scripts, nor remote origins', () => {
    const scripts = directives.get('script-src')!;
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(CSP).not.toMatch(/https?:|\*/);
  });

  it('renders a directive map as "name sources; …"', () => {
    expect(contentSecurityPolicy({ 'a-src': ["'self'", 'x:'], 'b-src': ["'none'"] })).toBe("a-src 'self' x:; b-src 'none'");
  });
});

describe('withCspHeader', () => {
  it('adds the CSP and keeps the other headers as arrays', () => {
    const out = withCspHeader({ 'Content-Type': 'text/html', 'X-A': ['1', '2'] });
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'X-A': ['1', '2'], 'Content-Security-Policy': [CSP] });
  });

  it('replaces any CSP the response carried, whatever its case', () => {
    const out = withCspHeader({
      'content-security-policy': ["default-src *"],
      'CONTENT-SECURITY-POLICY-REPORT-ONLY': 'default-src *',
    });
    expect(Object.keys(out)).toEqual(['Content-Security-Policy']);
    expect(out['Content-Security-Policy']).toEqual([CSP]);
  });

  it('copes with a response without headers', () => {
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CSP] });
  });
});

describe('cspApplies', () => {
  it("covers the app's documents and subresources, and anything unexpected", () => {
    for (const url of ['app://holdout/index.html', 'app://holdout/assets/worker.js', 'holdout-media://media/thumb/x', 'https://example.com/', 'file:///x']) {
      expect(cspApplies(url), url).toBe(true);
    }
  });

  it("leaves Chromium's own pages (DevTools) alone", () => {
    for (const url of ['devtools://devtools/bundled/devtools_app.html', 'chrome://gpu', 'chrome-extension://abc/x.js', 'DEVTOOLS://x']) {
      expect(cspApplies(url), url).toBe(false);
    }
  });
});
