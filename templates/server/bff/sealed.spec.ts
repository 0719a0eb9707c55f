// @vitest-environment node
import { Sealer } from './sealed';

/** 32 bytes, base64url. */
const KEY = 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE';

describe('Sealer', () => {
  it('opens what it sealed, under the same storage key only', async () => {
    const sealer = new Sealer(KEY);
    const sealed = await sealer.seal('session:a', { accessToken: 'secret' });
    expect(sealed).not.toContain('secret');
    expect(await sealer.open('session:a', sealed)).toEqual({ accessToken: 'secret' });
    // Opened once already: the record copied under another key still does not open.
    expect(await sealer.open('session:b', sealed)).toBeUndefined();
    expect(await new Sealer(KEY).open('session:b', sealed)).toBeUndefined();
  });

  it('does not open a tampered record or one sealed with another key', async () => {
    const sealer = new Sealer(KEY);
    const sealed = await sealer.seal('session:a', { n: 1 });
    const parts = sealed.split('.');
    parts[3] = (parts[3].startsWith('A') ? 'B' : 'A') + parts[3].slice(1);
    expect(await sealer.open('session:a', parts.join('.'))).toBeUndefined();
    expect(await new Sealer(undefined).open('session:a', sealed)).toBeUndefined();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new Sealer('c2hvcnQ')).toThrowError(/BFF_SESSION_KEY must be 32 bytes/);
    expect(() => new Sealer('not base64url!')).toThrowError(/BFF_SESSION_KEY must be 32 bytes/);
  });
});
