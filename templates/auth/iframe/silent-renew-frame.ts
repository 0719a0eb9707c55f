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
 * A frame whose document loaded without handing back an answer is given this long to do so (a
 * provider page may still redirect on) before the renewal fails as a network failure would.
 */
const ANSWER_AFTER_LOAD = 1_000;

/**
 * Loads `url` in a hidden, sandboxed iframe and resolves with the response its silent-renew page
 * hands back. Only the frame created here is listened to (random window.name); the frame is
 * always removed. Fails fast when the frame cannot load the provider (offline, provider down):
 * its error page loads without answering.
 */
export function runSilentRenewFrame(url: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.name = `silent-renew-${generateRandomState()}`;
    frame.title = 'Silent token renewal';
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute('aria-hidden', 'true');
    // Scripts for silent-renew.js, same origin for it to reach this window; no top navigation,
    // popups, forms or downloads.
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');

    let unanswered: ReturnType<typeof setTimeout> | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      clearTimeout(unanswered);
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
    const fail = (code: string, message: string) =>
      finish(() => reject(new OidcError(code, `${code}: ${message}`)));
    const timer = setTimeout(
      () =>
        fail(
          'timeout',
          `the silent renew frame did not answer within ${timeoutMs} ms; ` +
            'is silentRenewUri registered as a redirect URI and served by the app?',
        ),
      timeoutMs,
    );
    frame.addEventListener('load', () => {
      clearTimeout(unanswered);
      unanswered = setTimeout(
        () =>
          fail(
            'network',
            'the silent renew frame loaded a page that did not answer (offline or provider down?)',
          ),
        ANSWER_AFTER_LOAD,
      );
    });

    window.addEventListener(SILENT_RENEW_EVENT, onMessage);
    frame.src = url.href;
    document.body.appendChild(frame);
  });
}
