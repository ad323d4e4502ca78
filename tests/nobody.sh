# nobody.sh - for the tests of the lab's private network: sourced after
# lib.sh, it sets AS to the command that runs a program as uid 65534
# (empty when the tests already run unprivileged), copies the programs,
# lessons and catalogs where that user can read them when the build tree
# is closed to it, and sets PROBE and PROG to the copies.  The private
# network's tests run as an ordinary user, the only way it is meant to
# be had.  Call nobody_setup; it skips the test when setpriv is missing.

PROBE="$top_builddir/tests/wire_probe"
NOUNSHARE="$top_builddir/tests/no_unshare"

nobody_setup() {
	unset SOCKTUTOR_NO_NETNS
	AS=""
	[ "$(id -u)" = 0 ] || return 0
	command -v setpriv >/dev/null 2>&1 ||
		skip_all "setpriv is needed to test as uid 65534"
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$TMPD"
	mkdir -p "$TMPD/state"
	chmod 777 "$TMPD/state"
	lessons=${SOCKTUTOR_LESSONDIR:-$top_srcdir/lessons}
	if ! $AS test -x "$PROBE" || ! $AS test -x "$PROG" ||
	    ! $AS test -r "$lessons/07-conversation.lesson"; then
		mkdir "$TMPD/bin"
		cp "$PROBE" "$NOUNSHARE" "$PROG" "$TMPD/bin/"
		cp -R "$lessons" "$TMPD/lessons"
		cp -R "${SOCKTUTOR_LOCALEDIR:-$top_builddir/po/locale}" \
			"$TMPD/locale"
		chmod -R a+rX "$TMPD/bin" "$TMPD/lessons" "$TMPD/locale"
		PROBE="$TMPD/bin/wire_probe"
		NOUNSHARE="$TMPD/bin/no_unshare"
		PROG="$TMPD/bin/socktutor"
		export SOCKTUTOR_LESSONDIR="$TMPD/lessons"
		export SOCKTUTOR_LOCALEDIR="$TMPD/locale"
	fi
}

# need_private: skip the test where the private network cannot be had.
need_private() {
	$AS "$PROBE" talk 1 >/dev/null 2>"$TMPD/probe.err"
	[ $? = 77 ] && skip_all "no private network here: $(cat "$TMPD/probe.err")"
	return 0
}
