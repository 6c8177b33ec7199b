"""CrossHair on the spec: contracts on every transition, symbolic agreement of impl and spec,
and a golden file of seeded contract breaks that CrossHair must find.

* ``script``: a symbolic *script* (ints and floats choosing threads, operations, argument
  shapes and argument values) and the pure function that runs it on a spec from its
  initial state, recording every transition;
* ``contracts``: one function per primitive with PEP 316 ``pre:``/``post:`` contracts over
  the recorded trace: invariants, outcome vocabulary, determinism, documented guarantees;
* ``properties``: the named properties the contracts check;
* ``agreement``: per primitive, the same single-thread script run on impl and on the spec,
  asked for a disagreement by Hypothesis on the CrossHair backend;
* ``check``: runs CrossHair on the contracts with a per-condition budget, in worker processes.

The golden file of seeded breaks is ``proofs.golden_breaks``; the rows of ``threadspec
prove`` are ``proofs.crosshair_rows``.
"""
