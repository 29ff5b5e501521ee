/** Thrown when the scenario could not be tested (verdict `error`, never pass or fail). */
export class CouldNotTestError extends Error {}
