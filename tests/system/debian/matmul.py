# SPDX-License-Identifier: GPL-2.0
"""numpy on Kitten: a 512 x 512 matrix product through OpenBLAS (its
threads on the job's CPUs), checked against the product computed row by
row with plain dot products. Prints "numpy: 512x512 product ok" or the
largest error."""
import sys

import numpy as np

n = 512
rng = np.random.default_rng(2026)
a = rng.standard_normal((n, n))
b = rng.standard_normal((n, n))
c = a @ b
check = np.array([[float(np.dot(a[i], b[:, j])) for j in range(0, n, 37)]
                  for i in range(0, n, 41)])
err = float(np.max(np.abs(c[::41, ::37] - check)))
if err < 1e-9:
    print(f"numpy: {n}x{n} product ok")
    sys.exit(0)
print(f"numpy: {n}x{n} product FAILED, largest error {err}")
sys.exit(1)
