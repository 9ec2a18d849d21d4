#!/usr/bin/python3
"""Writes packages/stats/fixtures/oracle.json: reference values for the @driftwatch/stats drift tests.

Run with Debian's /usr/bin/python3 (scipy 1.10, numpy 1.24), see README.md. Seeded: the output is reproducible
for a given scipy/numpy version.

scipy is the oracle for ks_2samp, chisquare, jensenshannon, wasserstein_distance, norm, kstwo, smirnov.
Evidently is not installable here, so its binning / PSI / chi-square / Z / default-method logic is re-implemented
below with numpy from its documented definitions (evidently/calculations/stattests/*.py):
  - get_binned_data: Sturges edges over reference+current when the reference has > 20 distinct values, else one bin
    per distinct value of the union; empty bins filled with 1e-4 or min/1e6 when min <= 1e-4 (PSI only).
  - psi = sum((r - c) * ln(r / c)); jensenshannon = scipy jensenshannon of the unfilled shares.
  - chisquare: expected = reference counts * n_cur / n_ref over the union of categories, scipy chisquare p-value.
  - z: first sorted category -> 0, others -> 1, pooled two-proportion z, p = 2 * (1 - norm.cdf(|z|)).
  - wasserstein: wasserstein_distance / max(std(ref), 0.001).
  - default method (_get_default_stattest) with n_values = distinct values of reference+current.
Our own definitions (documented in the TypeScript TSDoc) are implemented the same way here:
  - quantile bins: numpy quantile edges of the reference, open outer bins;
  - hellinger over the PSI bins: sqrt(1 - sum(sqrt(p q))), evaluated as sqrt(sum((sqrt p - sqrt q)^2) / 2);
  - MMD^2: unbiased, RBF kernel, sigma = median pairwise distance of the pooled sample;
  - bonferroni / fdr_bh as statsmodels multipletests (statsmodels is not installed; its algorithm is re-implemented).
"""
import json
import math
import os
import sys
import warnings
from math import gcd

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance
from scipy.stats import _stats_py

SEED = 20240611
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'stats', 'fixtures', 'oracle.json')

rng = np.random.default_rng(SEED)


def enc(x):
    """JSON-safe float: non-finite values become strings."""
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def sig(values, digits=6):
    """Rounds to `digits` significant digits so the JSON stays small and parses back to the same doubles."""
    return [float(f'{float(v):.{digits}g}') for v in values]


# ---------------------------------------------------------------- Evidently logic (numpy)

def nunique(values):
    return len(set(values))


def value_counts(values):
    out = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def fill_zeroes(shares):
    shares = shares.copy()
    nz = shares[shares != 0]
    m = nz.min()
    np.place(shares, shares == 0, m / 10 ** 6 if m <= 0.0001 else 0.0001)
    return shares


def binned(ref, cur, kind, fill, bins='auto', count=10):
    if kind == 'numeric' and bins == 'quantile':
        a = np.asarray(ref, dtype=float)
        edges = np.unique(np.quantile(a, np.linspace(0, 1, count + 1)))
        inner = edges[1:-1]
        r = np.bincount(np.searchsorted(inner, a, side='right'), minlength=len(inner) + 1) / len(ref)
        c = np.bincount(np.searchsorted(inner, np.asarray(cur, dtype=float), side='right'), minlength=len(inner) + 1) / len(cur)
    elif kind == 'numeric' and nunique(ref) > 20:
        edges = np.histogram_bin_edges(np.concatenate([np.asarray(ref, float), np.asarray(cur, float)]), bins='sturges')
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref) | set(cur))  # sorted: reproducible output (set order depends on hash seeds)
        rc, cc = value_counts(ref), value_counts(cur)
        r = np.array([rc.get(k, 0) / len(ref) for k in keys])
        c = np.array([cc.get(k, 0) / len(cur) for k in keys])
    if fill:
        r, c = fill_zeroes(r), fill_zeroes(c)
    return r, c


def psi(ref, cur, kind, **kw):
    r, c = binned(ref, cur, kind, True, **kw)
    return float(np.sum((r - c) * np.log(r / c)))


def js(ref, cur, kind, base=None, **kw):
    r, c = binned(ref, cur, kind, False, **kw)
    return float(distance.jensenshannon(r, c, base))


def hellinger(ref, cur, kind, **kw):
    r, c = binned(ref, cur, kind, False, **kw)
    p, q = r / r.sum(), c / c.sum()
    # sqrt(1 - sum(sqrt(p q))) evaluated as the equal sqrt(sum((sqrt p - sqrt q)^2) / 2): no cancellation near 0
    return float(min(1.0, math.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2)))


def wasserstein(ref, cur):
    return float(stats.wasserstein_distance(ref, cur) / max(np.std(np.asarray(ref, float)), 0.001))


def ks(ref, cur):
    res = stats.ks_2samp(ref, cur)
    mode = 'exact' if max(len(ref), len(cur)) <= 10000 else 'asymptotic'
    return {'statistic': float(res.statistic), 'pValue': float(res.pvalue), 'mode': mode}


def chisquare(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rc, cc = value_counts(ref), value_counts(cur)
    k_norm = len(cur) / len(ref)
    f_exp = [rc.get(k, 0) * k_norm for k in keys]
    f_obs = [cc.get(k, 0) for k in keys]
    with warnings.catch_warnings(), np.errstate(divide='ignore', invalid='ignore'):
        warnings.simplefilter('ignore')
        res = stats.chisquare(f_obs, f_exp)
    return {'statistic': enc(res.statistic), 'pValue': enc(res.pvalue)}


def z_test(ref, cur):
    if nunique(ref) == 1 and nunique(cur) == 1 and ref[0] == cur[0]:
        return {'statistic': 0.0, 'pValue': 1.0}
    key = sorted(set(ref) | set(cur))[0]
    a = [0 if x == key else 1 for x in ref]
    b = [0 if x == key else 1 for x in cur]
    n1, n2 = len(a), len(b)
    p1, p2 = float(sum(a)) / n1, float(sum(b)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return {'statistic': float(z), 'pValue': float(2 * (1 - stats.norm.cdf(np.abs(z))))}


def default_method(ref, cur, kind):
    n_values = nunique(list(ref) + list(cur))
    if len(ref) <= 1000:
        if kind == 'numeric' and n_values > 5:
            return 'ks'
        return 'chisquare' if n_values > 2 else 'z'
    if kind == 'numeric' and n_values > 5:
        return 'wasserstein'
    return 'jensenshannon'


THRESHOLDS = {'ks': 0.05, 'chisquare': 0.05, 'z': 0.05, 'wasserstein': 0.1, 'jensenshannon': 0.1, 'psi': 0.1, 'hellinger': 0.1}


def detect(ref, cur, kind, expected):
    method = default_method(ref, cur, kind)
    e = expected[method]
    t = THRESHOLDS[method]
    if method == 'ks':
        drifted = e['pValue'] <= t
    elif method in ('chisquare', 'z'):
        drifted = isinstance(e['pValue'], float) and e['pValue'] < t
    else:
        drifted = e['statistic'] >= t
    return {'method': method, 'threshold': t, 'drifted': bool(drifted)}


# ---------------------------------------------------------------- cases

cases = []


def add_numeric(name, ref, cur, note=''):
    ref, cur = list(map(float, ref)), list(map(float, cur))
    exp = {
        'ks': ks(ref, cur),
        'psi': {'statistic': psi(ref, cur, 'numeric')},
        'psiQuantile': {'statistic': psi(ref, cur, 'numeric', bins='quantile', count=10)},
        'jensenshannon': {'statistic': js(ref, cur, 'numeric')},
        'jensenshannonQuantile': {'statistic': js(ref, cur, 'numeric', bins='quantile', count=10)},
        'hellinger': {'statistic': hellinger(ref, cur, 'numeric')},
        'wasserstein': {'statistic': wasserstein(ref, cur)},
    }
    if nunique(ref + cur) <= 20:
        exp['chisquare'] = chisquare(ref, cur)
    if nunique(ref + cur) <= 2:
        exp['z'] = z_test(ref, cur)
    exp['detect'] = detect(ref, cur, 'numeric', exp)
    cases.append({'name': name, 'note': note, 'kind': 'numeric', 'reference': ref, 'current': cur, 'expected': exp})


def add_categorical(name, ref, cur, note=''):
    ref, cur = list(map(str, ref)), list(map(str, cur))
    exp = {
        'psi': {'statistic': psi(ref, cur, 'categorical')},
        'jensenshannon': {'statistic': js(ref, cur, 'categorical')},
        'jensenshannonBase2': {'statistic': js(ref, cur, 'categorical', base=2)},
        'hellinger': {'statistic': hellinger(ref, cur, 'categorical')},
    }
    if nunique(ref + cur) > 1:
        exp['chisquare'] = chisquare(ref, cur)
    if nunique(ref + cur) <= 2:
        exp['z'] = z_test(ref, cur)
    exp['detect'] = detect(ref, cur, 'categorical', exp)
    cases.append({'name': name, 'note': note, 'kind': 'categorical', 'reference': ref, 'current': cur, 'expected': exp})


normal = rng.normal
add_numeric('normal-same-200-150', sig(normal(0, 1, 200)), sig(normal(0, 1, 150)), 'same distribution; exact KS, unequal sizes')
add_numeric('normal-shift-200-200', sig(normal(0, 1, 200)), sig(normal(0.5, 1, 200)), 'mean shift 0.5σ; exact KS, equal sizes')
add_numeric('normal-small-shift-500-500', sig(normal(0, 1, 500)), sig(normal(0.1, 1, 500)), 'mean shift 0.1σ')
add_numeric('scale-change-300-250', sig(normal(0, 1, 300)), sig(normal(0, 2, 250)), 'σ doubles')
bimodal = np.concatenate([normal(-2, 0.5, 200), normal(2, 0.5, 200)])
add_numeric('bimodal-vs-unimodal-400-350', sig(bimodal), sig(normal(0, 2, 350)), 'bimodal reference, unimodal current')
add_numeric('poisson-integers-300-300', rng.poisson(4, 300), rng.poisson(4.6, 300), 'integer valued, ≤ 20 distinct values: one bin per value; KS with ties')
add_numeric('few-integers-300-280', rng.integers(0, 5, 300), rng.choice(5, 280, p=[0.1, 0.2, 0.2, 0.2, 0.3]), '5 distinct values → chi-square')
add_numeric('binary-numeric-400-300', rng.binomial(1, 0.3, 400), rng.binomial(1, 0.4, 300), '0/1 values → Z-test')
add_numeric('heavy-tails-negative-400-400', sig(stats.t.rvs(2, size=400, random_state=rng) * 3 - 5), sig(stats.t.rvs(2, size=400, random_state=rng) * 3 - 4), 'Student t(2), negative values, heavy tails')
zi_ref = np.where(rng.random(500) < 0.7, 0.0, rng.exponential(2, 500))
zi_cur = np.where(rng.random(400) < 0.5, 0.0, rng.exponential(2, 400))
add_numeric('zero-inflated-500-400', sig(zi_ref), sig(zi_cur), 'many exact zeros')
add_numeric('tiny-values-300-300', sig(normal(0, 1, 300) * 1e-3), sig(normal(0.3, 1, 300) * 1e-3), 'values around 1e-3 (std below the 0.001 floor)')
add_numeric('huge-values-300-300', sig(rng.lognormal(0, 0.5, 300) * 1e6), sig(rng.lognormal(0.1, 0.5, 300) * 1e6), 'values around 1e6')
add_numeric('tiny-samples-8-12', sig(normal(0, 1, 8)), sig(normal(1, 1, 12)), 'small samples, exact KS')
add_numeric('tiny-samples-3-5', sig(normal(0, 1, 3)), sig(normal(0, 1, 5)))
add_numeric('single-reference-value-1-7', [0.25], sig(normal(0, 1, 7)), 'one reference value')
add_numeric('constant-reference-50-60', [3.0] * 50, sig(normal(3, 1, 60)), 'constant reference: std 0 → norm 0.001')
same = sig(normal(10, 2, 250))
add_numeric('identical-samples-250', same, list(same), 'identical inputs: zero drift')
add_numeric('ties-rounded-600-500', np.round(normal(0, 1, 600), 1), np.round(normal(0.2, 1, 500), 1), 'heavy ties (one decimal)')
add_numeric('exponential-vs-lognormal-1000-1000', sig(rng.exponential(1, 1000)), sig(rng.lognormal(-0.5, 0.8, 1000)), 'equal sizes, big D (exact square formula); reference = 1000 rows → KS')
add_numeric('strong-shift-1000-800', sig(normal(0, 1, 1000)), sig(normal(1.5, 1, 800)), 'p-value ~1e-100')
add_numeric('exact-boundary-10000-9000', sig(normal(0, 1, 10000), 5), sig(normal(0.03, 1, 9000), 5), 'max(n) = 10000: still the exact path; reference > 1000 → Wasserstein')
add_numeric('asymptotic-10001-500', sig(normal(0, 1, 10001), 5), sig(normal(0.1, 1, 500), 5), 'max(n) = 10001: asymptotic, n = round(en) = 476 (Pelz–Good branch)')
add_numeric('asymptotic-same-10500-2500', sig(normal(0, 1, 10500), 5), sig(normal(0, 1, 2500), 5), 'asymptotic, n = 2019 (this draw: n·D² ≈ 2.3, Smirnov branch)')
add_numeric('asymptotic-shift-10500-2500', sig(normal(0, 1, 10500), 5), sig(normal(0.07, 1, 2500), 5), 'asymptotic, n = 2019 (this draw: n·D² ≈ 1.8, Pelz–Good branch)')
add_numeric('asymptotic-small-en-10500-120', sig(normal(0, 1, 10500), 5), sig(normal(0, 1, 120), 5), 'asymptotic with n = round(en) = 119 ≤ 140 (Pomeranz branch)')
add_numeric('asymptotic-small-en-shift-10200-60', sig(normal(0, 1, 10200), 5), sig(normal(0.7, 1, 60), 5), 'asymptotic, n = 60, large D (Smirnov branch)')
add_numeric('few-values-large-reference-3000-2000', rng.integers(0, 4, 3000), rng.integers(0, 5, 2000), 'reference > 1000, ≤ 5 values → JS')

cats = ['red', 'green', 'blue', 'black', 'white']
add_categorical('cat-same-400-300', rng.choice(cats, 400, p=[0.3, 0.25, 0.2, 0.15, 0.1]), rng.choice(cats, 300, p=[0.3, 0.25, 0.2, 0.15, 0.1]))
add_categorical('cat-shift-400-300', rng.choice(cats, 400, p=[0.3, 0.25, 0.2, 0.15, 0.1]), rng.choice(cats, 300, p=[0.1, 0.15, 0.2, 0.25, 0.3]))
add_categorical('cat-new-category-400-300', rng.choice(cats[:4], 400), rng.choice(cats, 300), 'category absent from reference: chi-square = ∞, p = 0')
add_categorical('cat-missing-in-current-400-300', rng.choice(cats, 400), rng.choice(cats[:3], 300), 'reference category absent from current')
add_categorical('binary-cat-same-500-400', rng.choice(['no', 'yes'], 500, p=[0.8, 0.2]), rng.choice(['no', 'yes'], 400, p=[0.8, 0.2]))
add_categorical('binary-cat-shift-500-400', rng.choice(['no', 'yes'], 500, p=[0.8, 0.2]), rng.choice(['no', 'yes'], 400, p=[0.6, 0.4]))
add_categorical('binary-cat-one-value-100-80', ['a'] * 100, ['a'] * 80, 'one category on both sides: Z p = 1')
add_categorical('binary-cat-disjoint-50-40', ['a'] * 50, ['b'] * 40, 'current has only the other category')
many = [f'c{i:02d}' for i in range(30)]
w = rng.dirichlet(np.ones(30))
add_categorical('cat-many-2000-1500', rng.choice(many, 2000, p=w), rng.choice(many, 1500, p=rng.dirichlet(np.ones(30))), 'reference > 1000 → JS')
add_categorical('cat-unicode-300-300', rng.choice(['é', 'ß', '日本', 'a b', ''], 300), rng.choice(['é', 'ß', '日本', 'a b', ''], 300), 'unicode and empty-string categories')


# ---------------------------------------------------------------- MMD

def mmd2(ref, cur):
    X, Y = np.asarray(ref, float), np.asarray(cur, float)
    Z = np.vstack([X, Y])
    N, n, m = len(Z), len(X), len(Y)
    sq = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    iu = np.triu_indices(N, 1)
    sigma = float(np.median(np.sqrt(sq[iu])))
    if not sigma > 0:
        sigma = 1.0
    K = np.exp(-sq / (2 * sigma ** 2))
    kxx = K[:n, :n].sum() - np.trace(K[:n, :n])
    kyy = K[n:, n:].sum() - np.trace(K[n:, n:])
    kxy = K[:n, n:].sum()
    return float(kxx / (n * (n - 1)) + kyy / (m * (m - 1)) - 2 * kxy / (n * m)), sigma, K


def mmd_perm_p(K, n, m, perms, seed):
    g = np.random.default_rng(seed)
    N = n + m
    labels = np.r_[np.zeros(n, bool), np.ones(m, bool)]

    def stat(lab):
        x, y = ~lab, lab
        kxx = K[np.ix_(x, x)].sum() - n
        kyy = K[np.ix_(y, y)].sum() - m
        kxy = K[np.ix_(x, y)].sum()
        return kxx / (n * (n - 1)) + kyy / (m * (m - 1)) - 2 * kxy / (n * m)

    obs = stat(labels)
    count = sum(stat(g.permutation(labels)) >= obs for _ in range(perms))
    return (1 + count) / (1 + perms)


vector_cases = []


def add_vectors(name, ref, cur, sanity):
    ref, cur = [sig(v) for v in ref], [sig(v) for v in cur]
    statistic, sigma, K = mmd2(ref, cur)
    p = mmd_perm_p(K, len(ref), len(cur), 1000, 7)
    if sanity == 'small' and not p <= 0.01 or sanity == 'not-small' and not p > 0.1:
        sys.exit(f'{name}: numpy permutation p-value {p} does not fit the sanity label {sanity}; pick other data')
    vector_cases.append({'name': name, 'reference': ref, 'current': cur,
                         'expected': {'statistic': statistic, 'bandwidth': sigma, 'numpyPermutationPValue': p, 'pValue': sanity}})


add_vectors('mmd-same-60-50-d8', normal(0, 1, (60, 8)), normal(0, 1, (50, 8)), 'not-small')
add_vectors('mmd-shift-60-50-d8', normal(0, 1, (60, 8)), normal(1.0, 1, (50, 8)), 'small')
add_vectors('mmd-scale-80-80-d4', normal(0, 1, (80, 4)), normal(0, 2, (80, 4)), 'small')
add_vectors('mmd-same-100-100-d2', normal(0, 1, (100, 2)), normal(0, 1, (100, 2)), 'not-small')
small_ref, small_cur = normal(0, 1, (5, 3)), normal(0, 1, (4, 3))
statistic, sigma, _ = mmd2([sig(v) for v in small_ref], [sig(v) for v in small_cur])
vector_cases.append({'name': 'mmd-tiny-5-4-d3', 'reference': [sig(v) for v in small_ref], 'current': [sig(v) for v in small_cur],
                     'expected': {'statistic': statistic, 'bandwidth': sigma, 'pValue': 'any'}})


# ---------------------------------------------------------------- special functions and distributions

special_tables = {}
special_tables['normalCdf'] = [[x, float(stats.norm.cdf(x))] for x in
                               [-38, -20, -10, -8.3, -6, -5, -3.5, -2, -1.5, -1, -0.7071, -0.5, -1e-3, 0, 1e-8, 0.3, 0.7, 0.70710678, 0.8, 1, 1.4142, 1.96, 2, 2.5, 3, 4, 5, 6, 7, 8, 8.2, 8.3, 9, 12]]
special_tables['zTestPValue'] = [[z, float(2 * (1 - stats.norm.cdf(abs(z))))] for z in [0, 0.1, 0.5, 1, 1.5, 1.96, 2.5, 3, 4, 5, 6, 7, 7.5, 8]]
chi = []
for df in [1, 2, 3, 4, 5, 10, 29, 100, 1000, 5000]:
    for f in [1e-4, 0.01, 0.1, 0.5, 0.9, 1.0, 1.1, 1.5, 2, 5, 20, 60]:
        x = df * f
        chi.append([x, df, float(stats.chi2.sf(x, df))])
special_tables['chiSquareSf'] = chi
kst = []
for n in [1, 2, 3, 5, 10, 20, 50, 100, 140, 141, 500, 2400, 10000, 100000, 100001, 2000000]:
    xs = {0.4 / n, 0.5 / n, 0.75 / n, 1 / n, 1.5 / n, 2.5 / n, math.sqrt(0.1 / n), math.sqrt(0.5 / n), math.sqrt(0.7 / n), math.sqrt(1 / n),
          math.sqrt(2 / n), math.sqrt(2.3 / n), math.sqrt(3.5 / n), math.sqrt(4.5 / n), math.sqrt(10 / n), math.sqrt(100 / n),
          (1.4 / n) ** (2 / 3) * 0.9, (1.4 / n) ** (2 / 3) * 1.1, 0.3, 0.5, 0.7, 1 - 1.5 / n, 1 - 0.5 / n, 0.999}
    for x in sorted(xs):
        if 0 < x < 1:
            kst.append([n, x, float(stats.kstwo.sf(x, n))])
special_tables['kolmogorovSf'] = kst
smi = []
for n in [1, 2, 5, 10, 100, 1012, 1013, 5000, 1000001]:
    for x in [1e-3, 0.5 / n, 1 / n, 2 / n, 0.05, 0.1, 0.3, 0.5, 0.8, 1 - 1 / n, 0.9999]:
        if 0 <= x <= 1:
            smi.append([n, x, float(special.smirnov(n, x))])
special_tables['smirnovSf'] = smi
ex = []
for n1, n2 in [(5, 5), (10, 7), (20, 30), (100, 100), (97, 131), (400, 350), (1000, 900), (3000, 1000), (8, 12), (1, 7), (2, 3)]:
    g = gcd(n1, n2)
    lcm = (n1 // g) * n2
    for frac in [0.02, 0.05, 0.1, 0.2, 0.35, 0.6, 0.9, 1.0]:
        h = max(1, int(round(frac * lcm / max(1, math.sqrt(min(n1, n2)) / 2)))) if frac < 1 else lcm
        h = min(h, lcm)
        d = h / lcm
        ok, d2, p = _stats_py._attempt_exact_2kssamp(n1, n2, g, d, 'two-sided')
        if ok:
            ex.append([n1, n2, h, float(p)])
special_tables['ksExact'] = ex


# ---------------------------------------------------------------- multiple testing (statsmodels multipletests re-implemented)

def bh(p):
    p = np.asarray(p, float)
    order = np.argsort(p)
    ps = p[order]
    n = len(p)
    raw = ps / (np.arange(1, n + 1) / float(n))
    adj = np.minimum.accumulate(raw[::-1])[::-1]
    adj[adj > 1] = 1
    out = np.empty(n)
    out[order] = adj
    return out


corrections = []
for p in [[0.01, 0.04, 0.03, 0.005], [0.5], [0.001, 0.001, 0.2, 0.9, 0.04, 0.04], list(rng.uniform(0, 0.2, 12)), [0, 1, 0.3, 0.3]]:
    p = [float(x) for x in p]
    corrections.append({'pValues': p, 'bonferroni': [float(min(1.0, x * len(p))) for x in p], 'benjaminiHochberg': [float(x) for x in bh(p)]})

out = {
    'generator': 'scripts/oracle/generate.py',
    'python': sys.version.split()[0], 'scipy': scipy.__version__, 'numpy': np.__version__, 'seed': SEED,
    'cases': cases, 'vectorCases': vector_cases, 'special': special_tables, 'corrections': corrections,
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump(out, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'wrote {os.path.normpath(OUT)}: {len(cases)} sample cases, {len(vector_cases)} vector cases, '
      f'{sum(len(v) for v in special_tables.values())} special-function points, {len(corrections)} correction cases, '
      f'{os.path.getsize(OUT) // 1024} KiB')
