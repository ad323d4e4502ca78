/* plain.c - plain mode (first cut: the lesson text only). */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "plain.h"

int
plain_run(const struct app *app)
{
	const struct lesson *l = app->lessons[app->start];
	size_t i, j;

	printf("%d. %s\n", l->order, _(l->title.msgid));
	for (i = 0; i < l->nsteps; i++)
		for (j = 0; j < l->steps[i].nblocks; j++)
			printf("%s\n", _(l->steps[i].blocks[j].text.msgid));
	return 0;
}
