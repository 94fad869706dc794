#!/usr/bin/env bash
# No Catch2 test name starts with '-': ctest passes the name to the test binary as its first
# argument, where a leading '-' makes it an option (a name starting "--out " would send the
# binary's report to a file and run every test). Usage: test_names.sh LOITER_BINARY SOURCE_DIR
set -u
cd "$2" || exit 1
bad=$(grep -nE 'TEST_CASE\(\s*"-' tests/*.cpp)
if [ -n "$bad" ]; then
  echo "test names read as options by the test binary (start them with a word):"
  echo "$bad"
  exit 1
fi
echo "test names: none starts with '-'"
