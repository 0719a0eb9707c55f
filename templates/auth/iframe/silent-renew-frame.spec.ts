import { OidcError } from './oidc';
import { SILENT_RENEW_EVENT, runSilentRenewFrame } from './silent-renew-frame';

const frames = () =>
  Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[name^="silent-renew-"]'));
const answer = (frame: string, url: string) =>
  window.dispatchEvent(new CustomEvent(SILENT_RENEW_EVENT, { detail: { frame, url } }));

describe('runSilentRenewFrame', () => {
  it('resolves with the answer of its own hidden frame, then removes the frame', async () => {
    const result = runSilentRenewFrame(new URL('about:blank'), 1_000);
    const [frame] = frames();
    expect(frame.hidden).toBe(true);
    expect(frame.src).toBe('about:blank');
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin');
    answer('another-frame', '?code=forged&state=s');
    answer(frame.name, '?code=c&state=s');
    expect(await result).toBe('?code=c&state=s');
    expect(frames().length).toBe(0);
  });

  it('gives each frame a new random name', async () => {
    const first = runSilentRenewFrame(new URL('about:blank'), 1_000);
    const second = runSilentRenewFrame(new URL('about:blank'), 1_000);
    const [a, b] = frames();
    expect(a.name === b.name).toBe(false);
    answer(a.name, 'a');
    answer(b.name, 'b');
    expect(await first).toBe('a');
    expect(await second).toBe('b');
  });

  it('times out and removes the frame', async () => {
    const error = await runSilentRenewFrame(new URL('about:blank'), 30).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('timeout');
    expect(frames().length).toBe(0);
  });

  it('fails fast as a network failure when the frame loads a page that does not answer', async () => {
    const started = performance.now();
    const result = runSilentRenewFrame(new URL('about:blank'), 10_000).catch((e: unknown) => e);
    frames()[0].dispatchEvent(new Event('load')); // an error page (offline) loads and says nothing
    const error = await result;
    expect((error as OidcError).code).toBe('network');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(frames().length).toBe(0);
  });
});
