#!/usr/bin/env bash
# Fuzzes every Jazzer target (the @FuzzTest methods) for a while each; the short form runs in .ci/run.
#   deploy/local/fuzz.sh              one round: each target for 20 s (Fuzzing.MAX_DURATION)
#   FUZZ_ROUNDS=20 deploy/local/fuzz.sh   20 rounds (10 minutes per target); the corpus grows between rounds
#   FUZZ_TARGETS='ZipBundleFuzzTest#anyUploadIsABundleWithinTheLimitsOrARefusal' deploy/local/fuzz.sh   one target
# A finding fails the run; Jazzer writes the input that triggered it next to the target's committed inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/), where every build then runs it as a regression test.
# The generated corpus is kept in .cifuzz-corpus/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/../.."
. deploy/local/common.sh

targets=${FUZZ_TARGETS:-$(grep -rl '@FuzzTest' src/test/java | sort | while read -r file; do
  class=$(basename "$file" .java)
  awk -v class="$class" '/@FuzzTest/ { wanted = 1 }
    wanted && match($0, /void [A-Za-z0-9_]+/) { print class "#" substr($0, RSTART + 5, RLENGTH - 5); wanted = 0 }' "$file"
done)}
rounds=${FUZZ_ROUNDS:-1}

ensure_prerequisites
./mvnw -B -q test-compile
for round in $(seq 1 "$rounds"); do
  for target in $targets; do
    log "Fuzzing $target (round $round of $rounds)"
    JAZZER_FUZZ=1 ./mvnw -B -q surefire:test@fuzz -Dtest="$target"
  done
done
log "Fuzzing done: no finding"
