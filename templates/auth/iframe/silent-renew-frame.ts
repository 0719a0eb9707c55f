import { generateRandomState } from 'oauth4webapi';
import { OidcError } from './oidc';

/** Dispatched on the parent window by silent-renew.js. */
export const SILENT_RENEW_EVENT = 'oidc-silent-renew-message';

export interface SilentRenewMessage {
  /** window.name of the frame that answers. */
  frame: string;
  /** The response the provider redirected the frame to (an absolute URL, or a `#fragment`). */
  url: string;
}

/**
 * Loads `url` in a hidden iframe and resolves with the response its silent-renew page hands back.
 * Only the frame created here is listened to (random window.name); the frame is always removed.
 */
export function runSilentRenewFrame(url: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.name = `silent-renew-${generateRandomState()}`;
    frame.title = 'Silent token renewal';
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute('aria-hidden', 'true');

    const finish = (settle: () => void) => {
      clearTimeout(timer);
      window.removeEventListener(SILENT_RENEW_EVENT, onMessage);
      frame.remove();
      settle();
    };
    const onMessage = (event: Event) => {
      const detail = (event as CustomEvent<Partial<SilentRenewMessage> | null>).detail;
      if (detail?.frame !== frame.name || typeof detail.url !== 'string') return;
      const response = detail.url;
      finish(() => resolve(response));
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new OidcError(
            'timeout',
            `timeout: the silent renew frame did not answer within ${timeoutMs} ms; ` +
              'is silentRenewUri registered as a redirect URI and served by the app?',
          ),
        ),
      );
    }, timeoutMs);

    window.addEventListener(SILENT_RENEW_EVENT, onMessage);
    frame.src = url.href;
    document.body.appendChild(frame);
  });
}
