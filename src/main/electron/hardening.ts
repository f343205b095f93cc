import { shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../../shared/logger';
import { isAppUrl } from './app-protocol';

/** Only plain web links may leave the app, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Permissions the app's own pages may use. Only writing plain text to the clipboard (the
 * "copy row" button); reading the clipboard, camera, notifications, geolocation, … stay denied.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** True if `permission` is granted to a page at `url` (an origin or a full URL). */
export function isPermissionAllowed(permission: string, url: string | undefined): boolean {
  return APP_PERMISSIONS.has(permission) && url !== undefined && isAppUrl(url);
}

/** Every permission request and check is denied, except APP_PERMISSIONS for app://kalam. */
export function hardenSession(ses: Session, logger: Logger): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl);
    if (!allowed) logger.warn('permission request denied', { permission, url: details.requestingUrl });
    callback(allowed);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
}

const hardened = new WeakSet<WebContents>();

/**
 * Navigation and new windows: the app stays on app://kalam; window.open and target=_blank links
 * never open a window; http(s) links go to the system browser.
 */
export function hardenWebContents(contents: WebContents, logger: Logger): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn('navigation blocked', { url: event.url });
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn('redirect blocked', { url: event.url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      shell.openExternal(url).catch((error: unknown) => logger.warn('opening an external link failed', { url, error }));
    } else {
      logger.warn('window.open blocked', { url });
    }
    return { action: 'deny' };
  });
}
