import { afterEach, describe, expect, it } from 'vitest';
import { RoleTraffic, startRolloutHarness, tempDataDir, type RolloutHarness } from '../testing/rollout-harness.test-support.js';

const GOOD = { errorRate: 0.01 };
const open: RolloutHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
});

async function harness(config: Record<string, unknown> = {}, clock?: { now: number }): Promise<RolloutHarness> {
  const h = await startRolloutHarness(config, clock);
  open.push(h);
  return h;
}

async function startCanary(h: RolloutHarness, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await h.api('PUT', '/api/v1/models/churn/rollout', { candidateVersion: '2', by: 'alice', reason: 'retrained on March data', ...body });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}

function sides(): { primary: RoleTraffic; canary: RoleTraffic } {
  return { primary: new RoleTraffic('churn', '1', 'primary'), canary: new RoleTraffic('churn', '2', 'canary') };
}

describe('automatic canary analysis', () => {
  it('promotes a good candidate 10 → 25 → 50 → 100 and moves the champion alias', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    const started = await startCanary(h);
    expect(started).toMatchObject({ phase: 'progressing', mode: 'canary', primaryVersion: '1', candidateVersion: '2', weight: 0.1, weightPercent: 10, steps: [10, 25, 50, 100] });
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '1', challenger: '2' });

    const { primary, canary } = sides();
    const weights: number[] = [];
    for (let i = 0; i < 20 && (await h.rollout('churn'))['phase'] === 'progressing'; i++) {
      await h.tick([
        [primary, 400, GOOD],
        [canary, 300, GOOD],
      ]);
      weights.push((await h.rollout('churn'))['weightPercent'] as number);
    }
    expect(weights).toEqual([10, 10, 25, 25, 25, 50, 50, 50, 100]);
    const done = await h.rollout('churn');
    expect(done).toMatchObject({ phase: 'promoted', weight: 1, measurements: 9, failures: 0, registrySync: null });
    expect((done['lastJudgement'] as { verdict: string }).verdict).toBe('pass');
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '2' });
    expect((await h.api('GET', '/api/v1/registry/models/churn/aliases/champion')).json).toMatchObject({ alias: 'champion', version: '2', artifactUri: 's3://models/churn/2' });

    const history = (await h.api('GET', '/api/v1/models/churn/rollout/history?limit=100')).json['events'] as Array<{ decision: string; source: string; by: string; weightPercent: number }>;
    expect(history.map((e) => e.decision).reverse()).toEqual(['start', 'hold', 'hold', 'step', 'hold', 'hold', 'step', 'hold', 'hold', 'promote']);
    expect(history[0]).toMatchObject({ decision: 'promote', source: 'analysis', by: 'driftwatch-rollout', weightPercent: 100 });
    const registryHistory = (await h.api('GET', '/api/v1/registry/models/churn/history')).json['events'] as Array<{ action: string; alias: string; by: string; reason: string; version: string }>;
    const promotion = registryHistory.find((e) => e.action === 'alias_set' && e.alias === 'champion' && e.version === '2');
    expect(promotion?.by).toBe('driftwatch-rollout');
    expect(promotion?.reason).toMatch(/promote: .*passed every step/);

    const text = await h.agg.metricsText();
    expect(text).toContain('driftwatch_rollout_weight_percent{model="churn",version="2"} 100');
    expect(text).toContain('driftwatch_rollout_phase{model="churn",version="2",phase="promoted"} 1');
    expect(text).toContain('driftwatch_rollout_phase{model="churn",version="2",phase="progressing"} 0');
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="2",decision="promote",source="analysis"} 1');
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="2",decision="step",source="analysis"} 2');
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="2",decision="rollback",source="analysis"} 0');
    expect(text).toContain('driftwatch_rollout_measurements_total{model="churn",version="2",verdict="pass"} 9');
    expect(text).toContain('driftwatch_rollout_check_status{model="churn",version="2",check="error_rate",status="pass"} 1');
    expect(text).toMatch(/driftwatch_rollout_check_value\{model="churn",version="2",check="latency",variant="candidate"\} 0\.0\d+/);
    expect(text).toContain('driftwatch_rollout_alias_sync_pending{model="churn",version="2"} 0');
  });

  it('rolls back a candidate with a higher error rate: weight 0, challenger removed, champion untouched', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    const { primary, canary } = sides();
    await h.tick([
      [primary, 2000, GOOD],
      [canary, 500, { errorRate: 0.1 }],
    ]);
    const r = await h.rollout('churn');
    expect(r).toMatchObject({ phase: 'rolled_back', weight: 0, weightPercent: 0, failures: 1, registrySync: null });
    const judgement = r['lastJudgement'] as { verdict: string; checks: Array<{ check: string; status: string; candidate: number; primary: number }> };
    expect(judgement.verdict).toBe('fail');
    const errorRate = judgement.checks.find((c) => c.check === 'error_rate');
    expect(errorRate).toMatchObject({ status: 'fail', candidate: 0.1, primary: 0.01 });
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '1' });
    const registryHistory = (await h.api('GET', '/api/v1/registry/models/churn/history')).json['events'] as Array<{ action: string; alias: string; by: string }>;
    expect(registryHistory[0]).toMatchObject({ action: 'alias_deleted', alias: 'challenger', by: 'driftwatch-rollout' });
    const text = await h.agg.metricsText();
    expect(text).toContain('driftwatch_rollout_weight_percent{model="churn",version="2"} 0');
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="2",decision="rollback",source="analysis"} 1');
    expect(text).toContain('driftwatch_rollout_check_status{model="churn",version="2",check="error_rate",status="fail"} 1');
    expect(h.logs.some((l) => l.startsWith('info: rollout churn 2: rollback (analysis'))).toBe(true);
    // a finished rollout ignores traffic and a second one can start
    await h.tick([
      [primary, 500, GOOD],
      [canary, 500, GOOD],
    ]);
    expect((await h.rollout('churn'))['phase']).toBe('rolled_back');
  });

  it('rolls back a slower candidate, and one whose predictions drift from the primary’s', async () => {
    const slow = await harness();
    await slow.registerVersions('churn', 2);
    await startCanary(slow);
    const a = sides();
    await slow.tick([
      [a.primary, 600, { latency: (i) => 0.02 + (i % 10) * 0.002 }],
      [a.canary, 600, { latency: (i) => 0.08 + (i % 10) * 0.01 }],
    ]);
    const r1 = await slow.rollout('churn');
    expect(r1['phase']).toBe('rolled_back');
    const latency = (r1['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number; primary: number; pValue: number }> }).checks.find((c) => c.check === 'latency');
    expect(latency?.status).toBe('fail');
    expect(latency!.candidate).toBeGreaterThan(latency!.primary * 2);
    expect(latency!.pValue).toBeLessThan(1e-6);

    const drifting = await harness();
    await drifting.registerVersions('churn', 2);
    await startCanary(drifting);
    const b = sides();
    await drifting.tick([
      [b.primary, 600, { score: (i) => 0.1 + ((i * 37) % 400) / 1000 }],
      [b.canary, 600, { score: (i) => 0.55 + ((i * 37) % 400) / 1000 }],
    ]);
    const r2 = await drifting.rollout('churn');
    expect(r2['phase']).toBe('rolled_back');
    const checks = (r2['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number }> }).checks;
    expect(checks.find((c) => c.check === 'error_rate')?.status).toBe('pass');
    expect(checks.find((c) => c.check === 'prediction_drift')).toMatchObject({ status: 'fail' });
    expect(checks.find((c) => c.check === 'prediction_drift')!.candidate).toBeGreaterThan(0.2);
  });

  it('keeps a candidate whose outputs match the primary’s (prediction drift passes)', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    const { primary, canary } = sides();
    await h.tick([
      [primary, 600, GOOD],
      [canary, 600, GOOD],
    ]);
    const checks = ((await h.rollout('churn'))['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number }> }).checks;
    const drift = checks.find((c) => c.check === 'prediction_drift');
    expect(drift?.status).toBe('pass');
    expect(drift!.candidate).toBeLessThan(0.05);
    expect(checks.find((c) => c.check === 'agreement')?.status).toBe('inconclusive');
    expect(checks.find((c) => c.check === 'performance')?.status).toBe('inconclusive');
  });

  it('rolls back when labels show the candidate less accurate than the primary (performance)', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    const { primary, canary } = sides();
    primary.feedback(400, 0.92);
    canary.feedback(300, 0.8);
    await h.tick([
      [primary, 400, GOOD],
      [canary, 300, GOOD],
    ]);
    const r = await h.rollout('churn');
    expect(r['phase']).toBe('rolled_back');
    const accuracy = (r['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number; primary: number }> }).checks.find((c) => c.check === 'performance_accuracy');
    expect(accuracy?.status).toBe('fail');
    expect(accuracy!.primary - accuracy!.candidate).toBeGreaterThan(0.08);
    expect(await h.agg.metricsText()).toContain('driftwatch_rollout_check_status{model="churn",version="2",check="performance_accuracy",status="fail"} 1');
  });

  it('weighs precision, recall and F1 on the rows they come from: few actual positives do not roll a candidate back', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    const { primary, canary } = sides();
    // recall 0.60 vs 0.50, precision 0.67 vs 0.50 — but the canary's 400 labels hold only 40 actual (and 40 predicted) positives
    primary.feedbackCells({ tp: 600, fp: 300, fn: 400, tn: 2700 });
    canary.feedbackCells({ tp: 20, fp: 20, fn: 20, tn: 340 });
    await h.tick([
      [primary, 400, GOOD],
      [canary, 300, GOOD],
    ]);
    const r = await h.rollout('churn');
    const checks = (r['lastJudgement'] as { verdict: string; checks: Array<{ check: string; status: string; pValue: number | null }> }).checks;
    expect(r['phase'], JSON.stringify(checks)).toBe('progressing');
    for (const check of ['performance_precision', 'performance_recall', 'performance_f1']) {
      const c = checks.find((x) => x.check === check);
      expect(c?.status, check).toBe('pass');
      expect(c?.pValue, check).toBeGreaterThan(0.0125);
    }
    // the same rates on ten times the positives are a real loss
    const big = await harness();
    await big.registerVersions('churn', 2);
    await startCanary(big);
    const b = sides();
    b.primary.feedbackCells({ tp: 600, fp: 300, fn: 400, tn: 2700 });
    b.canary.feedbackCells({ tp: 200, fp: 200, fn: 200, tn: 3400 });
    await big.tick([
      [b.primary, 400, GOOD],
      [b.canary, 300, GOOD],
    ]);
    const rb = await big.rollout('churn');
    expect(rb['phase']).toBe('rolled_back');
    expect((rb['lastJudgement'] as { checks: Array<{ check: string; status: string }> }).checks.find((x) => x.check === 'performance_recall')?.status).toBe('fail');
  });

  it('waits for the minimum sample, and pauses after too many inconclusive measurements (no canary traffic); resumes by hand', async () => {
    const h = await harness({ rollout: { measurement_timeout: '1m', inconclusive_limit: 2 } });
    await h.registerVersions('churn', 2);
    await startCanary(h);
    const { primary, canary } = sides();
    // below the sample, before the timeout: no measurement yet
    await h.tick([
      [primary, 400, GOOD],
      [canary, 50, GOOD],
    ]);
    let r = await h.rollout('churn');
    expect(r).toMatchObject({ phase: 'progressing', measurements: 0 });
    expect(r['measurement']).toMatchObject({ primaryCalls: 400, candidateCalls: 50, requiredCalls: 200 });
    // past the timeout: judged with what came → inconclusive, held; the third one pauses
    for (let i = 0; i < 3; i++) await h.tick([[primary, 400, GOOD]], 61_000);
    r = await h.rollout('churn');
    expect(r).toMatchObject({ phase: 'paused', weightPercent: 10, inconclusives: 3, measurements: 3 });
    expect((r['lastDecision'] as { reasons: string[] }).reasons[0]).toMatch(/^measurement timed out after 60s with \d+ primary and 0 candidate calls/);
    expect(await h.agg.metricsText()).toContain('driftwatch_rollout_phase{model="churn",version="2",phase="paused"} 1');
    // paused: measurements are ignored
    await h.tick([
      [primary, 400, GOOD],
      [canary, 400, GOOD],
    ]);
    expect((await h.rollout('churn'))['measurements']).toBe(3);
    const resumed = await h.api('PUT', '/api/v1/models/churn/rollout', { phase: 'progressing', by: 'bob', reason: 'canary pods fixed' });
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ phase: 'progressing', inconclusives: 0, lastDecision: { decision: 'resume', source: 'manual', by: 'bob' } });
    await h.tick([
      [primary, 400, GOOD],
      [canary, 400, GOOD],
    ]);
    expect(await h.rollout('churn')).toMatchObject({ phase: 'progressing', measurements: 4, passesInStep: 1 });
  });

  it('judges a shadow candidate on the agreement rate the SDK reports', async () => {
    const h = await harness({ rollout: { measurements_per_step: 2 } });
    await h.registerVersions('churn', 3);
    await startCanary(h, { mode: 'shadow' });
    const primary = new RoleTraffic('churn', '1', 'primary');
    const shadow = new RoleTraffic('churn', '2', 'shadow');
    shadow.compare(400, 0.99);
    await h.tick([
      [primary, 400, GOOD],
      [shadow, 400, GOOD],
    ]);
    let checks = ((await h.rollout('churn'))['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number }> }).checks;
    expect(checks.find((c) => c.check === 'agreement')).toMatchObject({ status: 'pass', candidate: 0.99 });
    shadow.compare(400, 0.8);
    await h.tick([
      [primary, 400, GOOD],
      [shadow, 400, GOOD],
    ]);
    const r = await h.rollout('churn');
    expect(r).toMatchObject({ phase: 'rolled_back', mode: 'shadow', weightPercent: 0 });
    checks = (r['lastJudgement'] as { checks: Array<{ check: string; status: string; candidate: number }> }).checks;
    expect(checks.find((c) => c.check === 'agreement')).toMatchObject({ status: 'fail', candidate: 0.8 });
    expect(await h.agg.metricsText()).toContain('driftwatch_rollout_check_value{model="churn",version="2",check="agreement",variant="candidate"} 0.8');
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '1' });
  });

  it('runs a shadow rollout at weight 0, then turns it into a canary at the first step', async () => {
    const h = await harness({ rollout: { measurements_per_step: 2 } });
    await h.registerVersions('churn', 2);
    const started = await startCanary(h, { mode: 'shadow' });
    expect(started).toMatchObject({ mode: 'shadow', weight: 0, weightPercent: 0 });
    const primary = new RoleTraffic('churn', '1', 'primary');
    const shadow = new RoleTraffic('churn', '2', 'shadow');
    await h.tick([
      [primary, 400, GOOD],
      [shadow, 400, GOOD],
    ]);
    expect(await h.rollout('churn')).toMatchObject({ mode: 'shadow', phase: 'progressing', weightPercent: 0, passesInStep: 1 });
    await h.tick([
      [primary, 400, GOOD],
      [shadow, 400, GOOD],
    ]);
    const r = await h.rollout('churn');
    expect(r).toMatchObject({ mode: 'canary', phase: 'progressing', weightPercent: 10, stepIndex: 0, passesInStep: 0 });
    expect((r['lastDecision'] as { reasons: string[] }).reasons.at(-1)).toBe('shadow analysis passed: the canary starts at 10%');
    // the canary phase reads role=canary: shadow traffic alone no longer counts
    await h.tick([
      [primary, 400, GOOD],
      [shadow, 400, GOOD],
    ]);
    expect((await h.rollout('churn'))['measurements']).toBe(2);
  });
});

describe('rollout API', () => {
  it('answers phase "none" for a known model without a rollout (404 for an unknown one), with an ETag for pollers', async () => {
    const h = await harness();
    const unknown = await h.api('GET', '/api/v1/models/churn/rollout', undefined, { authorization: '' });
    expect(unknown.status).toBe(404);
    expect(unknown.json['error']).toMatch(/^unknown model "churn"/);
    await h.tick([[new RoleTraffic('churn', '1', 'primary'), 10, GOOD]]);
    const first = await h.api('GET', '/api/v1/models/churn/rollout', undefined, { authorization: '' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ model: 'churn', phase: 'none', mode: null, primaryVersion: null, candidateVersion: null, weight: 0, weightPercent: 0, pollIntervalSeconds: 15 });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${h.baseUrl}/api/v1/models/churn/rollout`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // a model only the registry knows is known too
    await h.registerVersions('fraud', 1);
    expect((await h.api('GET', '/api/v1/models/fraud/rollout')).json).toMatchObject({ phase: 'none', weight: 0 });
  });

  it('validates PUT bodies and needs the admin token', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    const put = (body: unknown, headers: Record<string, string> = {}) => h.api('PUT', '/api/v1/models/churn/rollout', body, headers);
    expect((await put({ candidateVersion: '2', by: 'x' }, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await put({ candidateVersion: '2' })).json['error']).toBe('by: required');
    expect((await put({ candidateVersion: '2', by: 'x', wieght: 3 })).json['error']).toMatch(/^wieght: unknown field/);
    expect((await put({ candidateVersion: '9', by: 'x' })).status).toBe(404);
    expect((await put({ candidateVersion: '1', by: 'x' })).json['error']).toBe('candidateVersion: version 1 is already the primary');
    expect((await put({ candidateVersion: '2', by: 'x', mode: 'blue' })).json['error']).toBe('mode: must be one of canary, shadow');
    expect((await put({ candidateVersion: '2', by: 'x', weightPercent: 50 })).status).toBe(400);
    expect((await put({ phase: 'paused', by: 'x' })).status).toBe(404);
    expect((await h.api('PUT', '/api/v1/models/fraud/rollout', { candidateVersion: '2', by: 'x' })).json['error']).toMatch(/not in the registry/);
    expect((await put({ candidateVersion: 2, by: 'x' })).status).toBe(201);
    expect((await put({ candidateVersion: '2', by: 'x' })).status).toBe(409);
    expect((await put({ phase: 'sideways', by: 'x' })).status).toBe(400);
    expect((await put({ weightPercent: 100, by: 'x' })).json['error']).toMatch(/^weightPercent: must be above 0 and below 100/);
    expect((await put({ weight: 0.5, weightPercent: 50, by: 'x' })).status).toBe(400);
    expect((await put({ phase: 'progressing', by: 'x' })).status).toBe(200); // already progressing: no change
    expect((await put({ phase: 'promoted', by: 'x' })).status).toBe(200);
    expect((await put({ phase: 'paused', by: 'x' })).status).toBe(409);
  });

  it('takes a manual weight and promotion; rolling back a promoted candidate restores the champion', async () => {
    const h = await harness();
    await h.registerVersions('churn', 3);
    await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '2', by: 'alice', reason: 'v2 release' });
    const start = await h.api('PUT', '/api/v1/models/churn/rollout', { candidateVersion: '3', by: 'alice' });
    expect(start.json).toMatchObject({ primaryVersion: '2', aliasesBefore: { champion: '2', challenger: null } });
    const w = await h.api('PUT', '/api/v1/models/churn/rollout', { weight: 0.4, by: 'bob', reason: 'more traffic' });
    expect(w.json).toMatchObject({ weightPercent: 40, weight: 0.4, stepIndex: 1, lastDecision: { decision: 'step', source: 'manual', by: 'bob', reasons: ['more traffic', 'weight set to 40% by hand'] } });
    const promoted = await h.api('PUT', '/api/v1/models/churn/rollout', { phase: 'promoted', by: 'bob' });
    expect(promoted.json).toMatchObject({ phase: 'promoted', weightPercent: 100 });
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '3' });
    const back = await h.api('PUT', '/api/v1/models/churn/rollout', { phase: 'rolled_back', by: 'carol', reason: 'complaints' });
    expect(back.json).toMatchObject({ phase: 'rolled_back', weightPercent: 0 });
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '2' });
    const events = (await h.api('GET', '/api/v1/registry/models/churn/history')).json['events'] as Array<{ action: string; by: string; version: string }>;
    expect(events[0]).toMatchObject({ action: 'rollback', by: 'carol', version: '2' });
    const text = await h.agg.metricsText();
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="3",decision="rollback",source="manual"} 1');
    expect(text).toContain('driftwatch_rollout_decisions_total{model="churn",version="3",decision="promote",source="manual"} 1');
  });

  it('a registry rollback of a promoted candidate rolls the rollout back too (weight 0)', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    await h.api('PUT', '/api/v1/models/churn/rollout', { phase: 'promoted', by: 'bob' });
    const rb = await h.api('POST', '/api/v1/registry/models/churn/rollback', { by: 'oncall', reason: 'bad predictions' });
    expect(rb.json).toEqual({ model: 'churn', alias: 'champion', from: '2', to: '1' });
    expect(await h.rollout('churn')).toMatchObject({ phase: 'rolled_back', weightPercent: 0, lastDecision: { decision: 'rollback', source: 'manual', by: 'oncall' } });
  });

  it('setting the champion to an active candidate promotes the rollout', async () => {
    const h = await harness();
    await h.registerVersions('churn', 2);
    await startCanary(h);
    await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '2', by: 'bob', reason: 'ship it' });
    expect(await h.rollout('churn')).toMatchObject({ phase: 'promoted', weightPercent: 100, lastDecision: { decision: 'promote', by: 'bob' } });
    expect((await h.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '2' });
  });
});

describe('restart', () => {
  it('keeps the rollout, its counts and its open measurement in SQLite across a restart', async () => {
    const dataDir = tempDataDir();
    const clock = { now: Date.parse('2025-03-01T10:00:00Z') };
    const first = await harness({ dataDir }, clock);
    await first.registerVersions('churn', 2);
    await startCanary(first);
    const { primary, canary } = sides();
    for (let i = 0; i < 2; i++) {
      await first.tick([
        [primary, 400, GOOD],
        [canary, 400, GOOD],
      ]);
    }
    // recorded after the last measurement, flushed, then the process goes away
    await first.tick([[primary, 100, GOOD]], 1_000);
    first.agg.flushNow();
    await first.stop();
    open.splice(open.indexOf(first), 1);

    const second = await harness({ dataDir }, clock);
    const r = await second.rollout('churn');
    expect(r).toMatchObject({ phase: 'progressing', weightPercent: 10, measurements: 2, passesInStep: 2, candidateVersion: '2' });
    expect(r['measurement']).toMatchObject({ primaryCalls: 100, candidateCalls: 0 });
    expect(await second.agg.metricsText()).toContain('driftwatch_rollout_measurements_total{model="churn",version="2",verdict="pass"} 2');
    expect(second.logs.some((l) => l.includes('resumed 1 rollout(s): churn 2 progressing'))).toBe(true);
    await second.tick([
      [primary, 400, GOOD],
      [canary, 400, GOOD],
    ]);
    expect(await second.rollout('churn')).toMatchObject({ weightPercent: 25, measurements: 3, stepIndex: 1 });
    expect((await second.api('GET', '/api/v1/registry/models/churn')).json['aliases']).toEqual({ champion: '1', challenger: '2' });
  });
});
