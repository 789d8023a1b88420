import fc from 'fast-check';

/**
 * fast-check parameters for the database-backed properties (each run costs tens to hundreds of
 * milliseconds of PGlite, so runs are few and explicit).
 * - FC_RUNS overrides numRuns (e.g. a long soak: FC_RUNS=200).
 * - FC_SEED (and FC_PATH) replay a failure: fast-check prints both in its error message.
 * - The whole check, shrinking included, stops after `budgetMs`: then fast-check still reports the
 *   failure with its seed and the smallest counterexample found so far, instead of vitest killing the
 *   test at its timeout without a word about the seed. Interrupted before numRuns is a failure too.
 */
type TimeLimit<T> = NonNullable<fc.Parameters<T>['plugins']>[number];

export function propertyParameters<T>(numRuns: number, budgetMs: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED;
  return {
    numRuns: Number(process.env.FC_RUNS ?? numRuns),
    ...(seed ? { seed: Number(seed), path: process.env.FC_PATH } : {}),
    // The plugin does not depend on the generated values (typed Plugin<unknown>).
    plugins: [fc.interruptAfterTimeLimit(budgetMs, { failOnInterrupt: true }) as TimeLimit<T>],
  };
}
