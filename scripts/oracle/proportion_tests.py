#!/usr/bin/python3
"""Writes packages/lifecycle/fixtures/fisher-exact.json: scipy's one-sided Fisher exact test, the oracle of
fisherExactGreater in packages/lifecycle/src/proportion-tests.ts (the canary analysis's performance test).

Run with Debian's /usr/bin/python3 (python3-scipy 1.10.1), from the repository root. Deterministic: fixed cases.
"""
import json
import os

import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'lifecycle', 'fixtures', 'fisher-exact.json')

# (successes a, trials a, successes b, trials b): a canary recall from 15-60 positives against a large primary,
# accuracy at production size, equal rates, a canary better than the primary, both tails of the mode, the edges
# of the support (all successes, none), and tables large enough that the tail sum stops early.
CASES = [
    (825, 1500, 8, 15), (825, 1500, 3, 15), (825, 1500, 0, 15), (825, 1500, 15, 15),
    (1200, 1500, 12, 25), (1200, 1500, 20, 25), (1200, 1500, 25, 25),
    (4000, 5000, 77, 100), (4000, 5000, 60, 100), (4000, 5000, 72, 100),
    (30, 1000, 15, 1000), (5, 200, 7, 250), (0, 10, 0, 10), (10, 10, 5, 5), (0, 10, 5, 10),
    (1, 1, 0, 1), (3, 7, 2, 9), (40, 90, 12, 60),
    (80000, 100000, 7800, 10000), (80000, 100000, 8100, 10000), (50, 100000, 9, 10000),
    (5000, 12000, 1000, 3000),
]


def main():
    cases = []
    for xa, na, xb, nb in CASES:
        _, p = stats.fisher_exact([[xa, na - xa], [xb, nb - xb]], alternative='greater')
        cases.append({'successesA': xa, 'trialsA': na, 'successesB': xb, 'trialsB': nb, 'pValue': float(p)})
    with open(OUT, 'w') as f:
        json.dump({'generator': 'scripts/oracle/proportion_tests.py', 'scipy': scipy.__version__, 'fisherExactGreater': cases}, f, indent=1)
        f.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
