#!/bin/bash
# A randomized hostile history on the real kernel (inside tools/sandbox; issue 11):
# random file changes, foreign writers (`ip` on owned and foreign objects), killed
# and fault-injected applies; after each step the node must converge with one
# apply, plan nothing more, and leave the foreign objects byte for byte as they were.
# The logic is in lib/hostile_history.py. The seed is printed first; replay with
#   PODNETC_HOSTILE_SEED=S [PODNETC_HOSTILE_STEPS=N] ctest --test-dir build -L kernel -R hostile-history
# Long runs outside CI: tools/hostile-history --seconds T.
set -euo pipefail
source "$(dirname "$0")/lib/apply_lib.sh"
foreign_setup
python3 "$lib/hostile_history.py" || fail "seed ${PODNETC_HOSTILE_SEED:-(printed above)}"
