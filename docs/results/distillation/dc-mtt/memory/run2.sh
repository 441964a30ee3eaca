#!/usr/bin/env bash
# The same MTT iteration with the heap limited to 512 MiB: recompute at syn-steps 20 and 40, keep at 5.
cd /tmp/dcmtt-mem
for spec in "RECOMPUTE 20" "RECOMPUTE 40" "KEEP 5"; do
  set -- $spec
  java -Xmx512m --add-modules jdk.incubator.vector -cp ".:lib/*" MttMemory 1 "$2" "$1" 2>&1 | grep -v "incubator"
done
