#!/bin/bash
# Instructions per call of one part of the hit path (see src/instruction-loop.ts), from two callgrind runs.
# Usage: bench/scripts/instructions.sh <canonical|floor|keyFor|map|hit> [calls-low] [calls-high]
set -euo pipefail
cd "$(dirname "$0")/.."
part=$1; low=${2:-2000}; high=${3:-12000}
collected() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --conditions=@prompt-cache/source --import tsx src/instruction-loop.ts "$part" "$1" 2>&1 |
    grep -o 'Collected : [0-9]*' | grep -o '[0-9]*$'
}
a=$(collected "$low"); b=$(collected "$high")
echo "$part: $(((b - a) / (high - low))) instructions per call"
