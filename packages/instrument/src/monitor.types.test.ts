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

  it('types shadow, canary and loader from the wrapped function, and keeps the signature with them', () => {
    const model = new Model();
    const sync = (row: Row, threshold?: number): number => row.age * (threshold ?? 1);
    const predict = monitor(model.predict, {
      model: 'm',
      version: '1',
      enabled: false,
      shadow: (row, threshold) => {
        expectTypeOf(row).toEqualTypeOf<Row>();
        expectTypeOf(threshold).toEqualTypeOf<number | undefined>();
        return Promise.resolve(row.age);
      },
      shadowSampleRate: 0.1,
      canary: {
        model: (row) => row.age,
        weight: 0.1,
        key: (input) => {
          expectTypeOf(input).toEqualTypeOf<Row>();
          return input.plan;
        },
        version: '4',
      },
      alias: 'champion',
      load: (version) => {
        expectTypeOf(version).toEqualTypeOf<string>();
        return Promise.resolve(model.predict);
      },
      records: { sampleRate: 0.01 },
      api: { url: 'http://localhost:9464', pollIntervalMillis: 5000 },
    });
    // the wrapped function is still exactly the model's
    expectTypeOf(predict).parameters.toEqualTypeOf<[row: Row, threshold?: number]>();
    expectTypeOf(predict).returns.toEqualTypeOf<number>();
    expectTypeOf(predict).thisParameter.toEqualTypeOf<Model>();
    expectTypeOf(predict.health().canary?.weight).toEqualTypeOf<number | undefined>();

    const batch = monitor(model.predictAsync, {
      model: 'm',
      version: '1',
      enabled: false,
      shadow: { model: (rows) => rows.map((r) => ({ score: r.age })), version: 2, maxQueueSize: 10 },
      canary: { model: async (rows) => rows.map(() => ({ score: 0 })), key: (rows) => rows.length },
    });
    expectTypeOf(batch).returns.toEqualTypeOf<Promise<Array<{ score: number }>>>();

    if (Math.random() > 2) {
      // never runs: compile-time checks only
      // @ts-expect-error a canary of a sync model must be sync: its result is what the caller gets
      monitor(sync, { model: 'm', version: '1', canary: { model: async (row: Row) => row.age, key: (r) => r.plan } });
      // @ts-expect-error the canary must take the model's arguments
      monitor(sync, { model: 'm', version: '1', canary: { model: (row: string) => row.length, key: () => 'k' } });
      // @ts-expect-error the key reads the model's input
      monitor(sync, { model: 'm', version: '1', canary: { model: sync, key: (row: { userId: string }) => row.userId } });
      // @ts-expect-error a shadow's result must be the model's (awaited) result, to be compared
      monitor(sync, { model: 'm', version: '1', shadow: () => 'yes' });
      // @ts-expect-error an unbound method needs its `this`: bind it first
      monitor(model.predict, { model: 'm', version: '1', shadow: model.predict });
      // @ts-expect-error load returns the model function
      monitor(sync, { model: 'm', version: '1', alias: 'champion', load: () => 42 });
      // @ts-expect-error unknown record option
      monitor(sync, { model: 'm', version: '1', records: { rate: 0.1 } });
    }
    expect(() => monitor(sync, { model: 'm', version: '1', canary: { model: sync, key: (r) => r.plan, weight: 10 } })).toThrow('options.canary.weight must be a number in [0, 1]');
  });
});
