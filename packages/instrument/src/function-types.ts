/** Any function; `never[]` parameters accept every parameter list. */
export type AnyFunction = (...args: never[]) => unknown;

/** The parameter list of `F` (without `this`). */
export type ParametersOf<F extends AnyFunction> = F extends (...args: infer A) => unknown ? A : never;

/** The first parameter of `F` (what `extract`, `predictionId` and the canary `key` receive). */
export type FirstParameter<F extends AnyFunction> = F extends (...args: infer A) => unknown ? (A extends readonly [] ? undefined : A[0]) : never;

/** The awaited result of `F` (what `output` and `predictionId` receive). */
export type AwaitedResult<F extends AnyFunction> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The result of `F` as it returns it (a promise stays a promise). */
export type ResultOf<F extends AnyFunction> = F extends (...args: never[]) => infer R ? R : never;

/**
 * A canary candidate of `F`: called with `F`'s arguments (as a plain function, `this` undefined — bind a
 * method first) and returning what `F` returns, since its result is what the caller gets.
 */
export type CanaryCandidate<F extends AnyFunction> = (this: void, ...args: ParametersOf<F>) => ResultOf<F>;

/** Literal types widened to their primitive (`0.9 | 0.1` → `number`), other types unchanged. */
export type Widen<T> = T extends number ? number : T extends string ? string : T extends boolean ? boolean : T;

/**
 * A shadow candidate of `F`: called with `F`'s arguments (as a plain function, `this` undefined), sync or
 * async, returning the same kind of result as `F` (literals widened); its result is only compared with the
 * primary's, never returned.
 */
export type ShadowCandidate<F extends AnyFunction> = (this: void, ...args: ParametersOf<F>) => Widen<AwaitedResult<F>> | PromiseLike<Widen<AwaitedResult<F>>>;
