/** Ends an exhaustive switch: a missing case is a compile error, a bad value a throw. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
