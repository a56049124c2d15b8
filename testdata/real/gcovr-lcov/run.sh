#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs gcc 12.2 (gcov), gcovr 5.2 and lcov 1.16 (Debian bookworm: gcc, gcovr, lcov).
set -eu
gcc --coverage -O0 -o calc calc.c
# run 1: one positive argument
./calc 5 > /dev/null
# gcovr records the root relative to the output file: write in the working directory, then move.
gcovr --root . --xml-pretty -o gcovr-cobertura.xml
gcovr --root . --json-summary-pretty -o gcovr-summary.json
gcovr --root . --txt -o gcovr.txt
gcovr --root . --branches --txt -o gcovr-branches.txt
mv gcovr-cobertura.xml gcovr-summary.json gcovr.txt gcovr-branches.txt "$OUT/"
lcov --capture --directory . --output-file "$OUT/run1.info" --test-name run1 > /dev/null
summary() { (cd "$OUT" && lcov --summary "$1.info" > "lcov-summary-$1.txt" 2>&1); }
summary run1
# run 2, from zeroed counters: a negative argument
lcov --zerocounters --directory . > /dev/null
./calc -3 > /dev/null
lcov --capture --directory . --output-file "$OUT/run2.info" --test-name run2 > /dev/null
summary run2
# lcov's own merge of the two runs (one record per SF), and the CI way: plain concatenation (one SF twice)
lcov --add-tracefile "$OUT/run1.info" --add-tracefile "$OUT/run2.info" --output-file "$OUT/merged.info" > /dev/null
summary merged
cat "$OUT/run1.info" "$OUT/run2.info" > "$OUT/concatenated.info"
summary concatenated
gcovr --version | head -1 > "$OUT/gcovr-version.txt"
lcov --version > "$OUT/lcov-version.txt"
gcc --version | head -1 > "$OUT/gcc-version.txt"
rm -f calc *.gcda *.gcno
