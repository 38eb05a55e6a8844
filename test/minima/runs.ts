/** Runs and seed of the pinned minima (the matrix's run count: the counterexamples docs/matrix.md shows). */
export const MINIMA_RUNS = 200;
export const MINIMA_SEED = 42;
