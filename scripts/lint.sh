#!/bin/sh
# Style gates: checkpatch --strict on the module, clang-format and clang-tidy on
# the tool. checkpatch.pl comes from Debian's linux-source-6.1 tarball, extracted
# once into ~/.cache/resfence/tools.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${RESFENCE_CACHE:-$HOME/.cache/resfence}
tools=$cache/tools
status=0

checkpatch=$tools/linux-source-6.1/scripts/checkpatch.pl
if [ ! -f "$checkpatch" ]; then
	mkdir -p "$tools"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$tools" \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

echo "lint: checkpatch --strict kmod/ include/uapi/ tests/bench/probe-cost/"
# The sources only: kbuild's generated *.mod.c is not ours to style. The
# lab-only probe-cost bench module is kernel code too.
ksrc=$(find "$top/kmod" "$top/include/uapi" "$top/tests/bench/probe-cost" -name '*.[ch]' ! -name '*.mod.c' | sort)
perl "$checkpatch" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES -f $ksrc || status=1

cxx=$(find "$top/userspace" -name '*.cpp' -o -name '*.hpp' -o -name '*.h' | sort)
echo "lint: clang-format"
for f in $cxx; do
	clang-format --dry-run --Werror "$f" || status=1
done

echo "lint: clang-tidy"
db=$top/build/userspace/compile_commands.json
if [ -f "$db" ]; then
	# Two files at a time: each clang-tidy takes a core for a while, and the
	# machines this runs on have two. The headers are checked through the
	# sources that include them (.clang-tidy's HeaderFilterRegex).
	find "$top/userspace/src" "$top/userspace/tests/tools" -name '*.cpp' | sort |
		xargs -P2 -n1 clang-tidy -p "$top/build/userspace" --quiet || status=1
else
	echo "lint: no $db (run make userspace first)" >&2
	status=1
fi
exit $status
