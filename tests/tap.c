/* tap.c - the main loop shared by the Check test programs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "util.h"

int
tap_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

char *
tap_srcpath(const char *rel)
{
	const char *top = getenv("top_srcdir");

	return xasprintf("%s/%s", top != NULL && top[0] ? top : "..", rel);
}
