#!/bin/bash
# The bare side of the concurrent load: one loop per bundle, all at once, each running
# bare-cycle.sh <runs> times; prints each cycle's wall time in µs (bash's clock, no fork).
# usage: bare-load.sh <runs per loop> <lowerdir> <runc root> <bundle>...
runs=$1 lower=$2 root=$3
shift 3
dir=$(dirname "$0")
for bundle in "$@"; do
  (
    for ((i = 0; i < runs; i++)); do
      t0=${EPOCHREALTIME/./}
      sh "$dir/bare-cycle.sh" "$bundle" "$lower" "$root" || echo "fail $bundle"
      t1=${EPOCHREALTIME/./}
      echo $((t1 - t0))
    done
  ) &
done
wait
