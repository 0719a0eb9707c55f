// @vitest-environment node
import type { NextFunction, Request, Response } from 'express';
import { requireCsrfHeader } from './csrf';

const ORIGIN = 'https://app.example.com';

/** The middleware's verdict for a request with these headers: 'next' or the status it answered. */
function verdict(headers: Record<string, string>): string {
  let outcome = 'none';
  const req = { get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  const res = {
    status(code: number) {
      outcome = String(code);
      return this;
    },
    set() {
      return this;
    },
    json() {
      return this;
    },
  } as unknown as Response;
  requireCsrfHeader(ORIGIN)(req, res, (() => (outcome = 'next')) as NextFunction);
  return outcome;
}

describe('requireCsrfHeader', () => {
  it('lets a same-origin call of the app through', () => {
    expect(verdict({ 'x-bff-csrf': '1' })).toBe('next');
    expect(verdict({ 'x-bff-csrf': '1', origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).toBe(
      'next',
    );
  });

  it('answers 403 without the header, from another origin, or to a cross-site request', () => {
    expect(verdict({})).toBe('403');
    expect(verdict({ 'x-bff-csrf': '1', origin: 'https://evil.example' })).toBe('403');
    expect(verdict({ 'x-bff-csrf': '1', 'sec-fetch-site': 'cross-site' })).toBe('403');
    expect(verdict({ 'x-bff-csrf': '1', 'sec-fetch-site': 'same-site' })).toBe('403');
  });
});
