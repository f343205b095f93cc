/**
 * The Content-Security-Policy and companion headers for everything the app serves (web mode over
 * HTTP, the Electron `app://kalam` protocol). The renderer is a built Vite bundle: scripts and
 * styles come from files, never inline. React's `style={{…}}` props are applied through the
 * CSSOM, which style-src does not restrict, so no 'unsafe-inline' is needed.
 */
export interface CspOptions {
  /** Extra connect-src sources besides 'self' (web mode: the ws:// origins of the server). */
  readonly connectSrc?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(options.connectSrc ?? [])],
    ['worker-src', "'self'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** Headers every response carries. */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
