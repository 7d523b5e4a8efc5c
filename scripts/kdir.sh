#!/bin/sh
# Print the kernel build directory for the Debian kernel the project targets,
# resolved from the linux-headers-amd64 metapackage (never a hard-coded ABI).
#   scripts/kdir.sh          -> /lib/modules/<abi>/build
#   scripts/kdir.sh --abi    -> <abi>, e.g. 6.1.0-56-amd64
set -eu
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || {
	echo "kdir: linux-headers-amd64 is not installed (run scripts/setup.sh)" >&2
	exit 1
}
# "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)" -> 6.1.0-56-amd64
abi=$(printf '%s\n' "$dep" | sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
[ -n "$abi" ] || { echo "kdir: cannot parse '$dep'" >&2; exit 1; }
if [ "${1:-}" = "--abi" ]; then
	echo "$abi"
else
	echo "/usr/src/linux-headers-$abi"
fi
