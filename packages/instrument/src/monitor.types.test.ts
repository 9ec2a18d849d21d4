// Type-level tests: checked by `tsc -p tsconfig.tests.json` (expectTypeOf and @ts-expect-error are compile-time);
// the runtime part only makes sure the file runs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { monitor } from './monitor.js';
import type { MonitorHealth, MonitorMethods } from './monitor.js';

interface Row {
  age: number;
  plan: string;
}
class Model {
  weight = 2;
  predict(this: Model, row: Row, threshold?: number): number {
    return row.age * this.weight * (threshold ?? 1);
  }
  async predictAsync(rows: Row[]): Promise<Array<{ score: number }>> {
    return rows.map((r) => ({ score: r.age }));
  }
}

describe('monitor() types', () => {
  it('keeps the signature (parameters, this, return type) and adds the methods', () => {
    const model = new Model();
    const opts = { model: 'm', version: '1', enabled: false } as const;
    const predict = monitor(model.predict, opts);
    expectTypeOf(predict).parameters.toEqualTypeOf<[row: Row, threshold?: number]>();
    expectTypeOf(predict).returns.toEqualTypeOf<number>();
    expectTypeOf(predict).thisParameter.toEqualTypeOf<Model>();
    expectTypeOf(predict).toMatchTypeOf<Model['predict']>();
    expectTypeOf(predict.feedback).toEqualTypeOf<MonitorMethods['feedback']>();
    expectTypeOf(predict.kpi).parameters.toEqualTypeOf<[name: string, value: number]>();
    expectTypeOf(predict.shutdown).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(predict.health).returns.toEqualTypeOf<MonitorHealth>();

    const predictAsync = monitor(model.predictAsync, opts);
    expectTypeOf(predictAsync).returns.toEqualTypeOf<Promise<Array<{ score: number }>>>();
    expectTypeOf(predictAsync).parameters.toEqualTypeOf<[rows: Row[]]>();

    const generic = monitor(<T>(x: T): T => x, opts);
    expectTypeOf(generic(5)).toEqualTypeOf<number>();

    // sync stays sync: the return type is not a Promise
    expectTypeOf(monitor((x: number) => x + 1, opts)(1)).toEqualTypeOf<number>();

    if (Math.random() > 2) {
      // never runs: compile-time checks only
      // @ts-expect-error wrong argument type, exactly as for the unwrapped function
      predict.call(model, { age: 'old', plan: 'pro' });
      // @ts-expect-error the model's `this` is still required
      predict({ age: 1, plan: 'x' });
      // @ts-expect-error the result is a number, not a promise
      void predict.call(model, { age: 1, plan: 'x' }).then;
      // @ts-expect-error kpi needs a numeric value
      predict.kpi('conversion', 'yes');
    }
  });

  it('types the option callbacks from the wrapped function', () => {
    monitor((row: Row): Promise<{ p: number; id: string }> => Promise.resolve({ p: row.age, id: 'x' }), {
      model: 'm',
      version: '1',
      enabled: false,
      extract: (input) => {
        expectTypeOf(input).toEqualTypeOf<Row>();
        return { age: input.age };
      },
      output: (out) => {
        expectTypeOf(out).toEqualTypeOf<{ p: number; id: string }>();
        return { score: out.p };
      },
      predictionId: (input, out) => {
        expectTypeOf(input).toEqualTypeOf<Row>();
        return out.id;
      },
    });
    // @ts-expect-error unknown feature type (and a runtime TypeError naming the field)
    expect(() => monitor((row: Row) => row.age, { model: 'm', version: '1', enabled: false, features: { age: 'number' } })).toThrow('options.features.age');
  });
});
