#!/bin/sh
# Print the module's version, from its one place: RESFENCE_MODULE_VERSION in
# kmod/version.h. dkms.conf, debian/changelog and MODULE_VERSION take it from
# there (tests/packaging/version.sh checks that they agree).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
v=$(sed -n 's/^#define RESFENCE_MODULE_VERSION "\([^"]*\)"$/\1/p' "$ROOT/kmod/version.h")
[ -n "$v" ] || { echo "version: no RESFENCE_MODULE_VERSION in kmod/version.h" >&2; exit 1; }
echo "$v"
