/**
 * Prints how long each integration case and each describe (its beforeAll included) took, so that a
 * slow CI run says where its time went.
 */
const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;

jasmine.getEnv().addReporter({
  specDone: (result) => console.log(`\n  [${seconds(result.duration ?? undefined)}] ${result.fullName}`),
  suiteDone: (result) => console.log(`\n  [${seconds(result.duration ?? undefined)} in all] ${result.description}`),
});
