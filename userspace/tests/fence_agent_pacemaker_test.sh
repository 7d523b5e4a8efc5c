#!/bin/bash
# fence_resfence against the real things on the host, no cluster: its
# metadata validates with xmllint against metadata.rng from Debian's
# fence-agents package, and Pacemaker's own stonith_admin finds the agent in
# the sbin directory (-I) and reads its metadata (-M -a fence_resfence).
# stonith_admin looks for agents in /usr/sbin only, so the agent is put there
# in a private mount namespace (an overlay over /usr/sbin): nothing of the
# host's /usr/sbin changes. Runs under ctest:
#   fence_agent_pacemaker_test.sh BUILT_AGENT
set -eu
agent=$1
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
for t in xmllint stonith_admin apt-get dpkg-deb unshare; do
	command -v "$t" >/dev/null || fail "$t not installed (scripts/setup.sh installs it)"
done
[ -x "$agent" ] || fail "$agent is not built"

# metadata.rng, from the fence-agents .deb (not installed: it pulls in
# Python and every cloud SDK), cached per version like the lab's kernel.
cache=${RESFENCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/resfence}/fence-agents
ver=$(apt-cache policy fence-agents | sed -n 's/^ *Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || fail "apt knows no fence-agents (apt-get update?)"
rng=$cache/$ver/usr/share/cluster/relaxng/metadata.rng
if [ ! -f "$rng" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	(cd "$tmp" && apt-get download -q "fence-agents=$ver" >/dev/null 2>&1) ||
		fail "apt-get download fence-agents=$ver failed"
	dpkg-deb -x "$tmp"/fence-agents_*.deb "$tmp/x"
	[ -f "$tmp/x/usr/share/cluster/relaxng/metadata.rng" ] || fail "no metadata.rng in fence-agents $ver"
	rm -rf "${cache:?}/$ver"
	mv "$tmp/x" "$cache/$ver"
	rm -rf "$tmp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$agent" -o metadata >"$work/meta.xml"
xmllint --noout --relaxng "$rng" "$work/meta.xml" 2>"$work/xmllint.err" ||
	fail "metadata does not validate against $rng: $(cat "$work/xmllint.err")"
# The grammar itself must catch a broken document, or the check proves nothing.
sed 's/<actions>//' "$work/meta.xml" >"$work/broken.xml"
if xmllint --noout --relaxng "$rng" "$work/broken.xml" 2>/dev/null; then
	fail "xmllint accepted metadata without <actions>"
fi

# Pacemaker's view, in a private mount namespace (root, or a user namespace).
ns=(unshare -m)
[ "$(id -u)" -eq 0 ] || ns=(unshare -rm)
mkdir -p "$work/up" "$work/ow"
cp "$agent" "$work/up/fence_resfence"
"${ns[@]}" bash -eu -c '
	w=$1
	mount -t overlay overlay -o "lowerdir=/usr/sbin,upperdir=$w/up,workdir=$w/ow" /usr/sbin
	stonith_admin -I >"$w/list" 2>&1 || { echo "stonith_admin -I: exit $?" >&2; cat "$w/list" >&2; exit 1; }
	stonith_admin -M -a fence_resfence >"$w/pcmk-meta.xml" 2>"$w/pcmk-meta.err" ||
		{ echo "stonith_admin -M: exit $?: $(cat "$w/pcmk-meta.err")" >&2; exit 1; }
' _ "$work" || fail "stonith_admin in the mount namespace"
grep -qx 'fence_resfence' "$work/list" || fail "stonith_admin -I does not list fence_resfence: $(tr '\n' ' ' <"$work/list")"
grep -q '<resource-agent name="fence_resfence"' "$work/pcmk-meta.xml" ||
	fail "stonith_admin -M -a fence_resfence: $(head -c 400 "$work/pcmk-meta.xml")"
grep -q '<action name="on" on_target="1" automatic="1"' "$work/pcmk-meta.xml" ||
	fail "stonith_admin -M lost the on action's on_target"
# (Pacemaker adds timeout= attributes to the actions, which metadata.rng
# does not know: what it returns is checked for content, not validated.)
for p in $(sed -n 's/.*<parameter name="\([^"]*\)".*/\1/p' "$work/meta.xml"); do
	grep -q "<parameter name=\"$p\"" "$work/pcmk-meta.xml" || fail "stonith_admin -M lost parameter $p"
done
echo "fence_resfence: metadata valid ($rng), listed by stonith_admin -I, read by stonith_admin -M"
