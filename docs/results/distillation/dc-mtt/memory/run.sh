#!/usr/bin/env bash
# MTT peak heap, one JVM per (memory mode, syn-steps), heap limited to 3 GiB.
cd /tmp/dcmtt-mem
for spec in "RECOMPUTE 20" "RECOMPUTE 40" "KEEP 5" "KEEP 10" "KEEP 20"; do
  set -- $spec
  java -Xmx3g --add-modules jdk.incubator.vector -cp ".:lib/*" MttMemory 1 "$2" "$1" 2>&1 | grep -v "incubator"
done
