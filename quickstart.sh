#!/bin/sh
# quickstart.sh - from a clean clone to the tutorial, or to a full test run.
#
#   ./quickstart.sh [run] [CONFIGURE-OPTION...]   set up, build, start socktutor
#   ./quickstart.sh check [CONFIGURE-OPTION...]   set up, build, run every test
#
# It installs the Debian packages that are missing (as root, or through
# sudo), bootstraps with autoreconf, configures and builds in the tree.
# Each step is skipped when it has nothing to do, so running it again is
# quick.
set -e
cd "$(dirname "$0")"

mode=run
case "${1:-}" in
run|check) mode=$1; shift ;;
-h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac

# What the build needs, and what the tests need on top.
pkgs="build-essential autoconf automake autopoint gettext libncurses-dev check pkg-config"
[ "$mode" = check ] &&
	pkgs="$pkgs tmux netbase iproute2 netcat-openbsd python3 valgrind procps groff-base man-db unicode-data"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "quickstart: installing Debian packages:$missing"
	if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	echo "quickstart: bootstrapping (autoreconf)"
	autoreconf -fi
fi

# Configure again only when the options changed or configure did.
want="$*"
have=$(cat .quickstart-options 2>/dev/null || echo "none")
if [ ! -f Makefile ] || [ "$want" != "$have" ] || [ configure -nt config.status ]; then
	./configure "$@"
	printf '%s' "$want" >.quickstart-options
fi

jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"

if [ "$mode" = check ]; then
	make -j"$jobs" check
else
	exec src/socktutor
fi
