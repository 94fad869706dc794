#!/usr/bin/env bash
# Every C++ source follows .clang-format. Usage: format.sh LOITER_BINARY SOURCE_DIR
set -u
cd "$2" || exit 1
command -v clang-format >/dev/null || { echo "skip: clang-format is not installed"; exit 77; }
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find sim model live plots sweep app bench tests -name '*.[ch]pp')
if ! clang-format --dry-run --Werror $files; then
  echo "run: clang-format -i \$(git ls-files '*.cpp' '*.hpp')"
  exit 1
fi
echo "formatted: $(echo "$files" | wc -w) files"
