#!/bin/bash
# A randomized hostile history on the real kernel (inside tools/sandbox; issue 11):
# random file changes, foreign writers (`ip` on owned and foreign objects), killed
# and fault-injected applies; after each step the node must converge with one
# apply, plan nothing more, and leave the foreign objects byte for byte as they were.
# The logic is in lib/hostile_history.py.
#
# In the suite it replays fixed seeds, so that CI is deterministic: 31449599 (the
# history that found a refused deletion whose batch-mates took the object with them)
# and 563287748 (a long clean history of bridge and route pods). Seeds that still
# fail are open bugs, listed in docs/APPLY.md ("Hostile histories"), not hidden by
# the choice of seeds. The random exploration is tools/hostile-history --seconds T
# (a fresh sandbox per seed), or one seed here:
#   PODNETC_HOSTILE_SEED=S [PODNETC_HOSTILE_STEPS=N] ctest --test-dir build -L kernel -R hostile-history
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
foreign_setup
for seed in ${PODNETC_HOSTILE_SEED:-31449599 563287748}; do
    python3 "$lib/hostile_history.py" --seed "$seed" || fail "seed $seed"
done
