/* app.h - what main hands to the interface it starts (the curses UI or
 * plain mode): the lessons, where to start, the lab's configuration and
 * the progress file.  Filled by main from the options; read-only after. */
#ifndef SOCKTUTOR_APP_H
#define SOCKTUTOR_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab.h"
#include "lesson.h"

struct app {
	struct lesson **lessons;
	size_t nlessons;
	size_t start;		/* index into lessons */
	bool start_given;	/* --lesson was given (no resume) */
	bool sandbox;		/* --lesson=sandbox */
	struct lab_config lab;	/* listen_addr, port, backlog, caps */
	bool port_given;	/* --port was given */
	bool listen_given;	/* --listen was given (a classroom address) */
	bool present;		/* --present */
	uint16_t door_port;	/* --door: the classroom door's port */
	bool door_given;	/* ... given (else the bar's port + 1) */
	const char *progress_path;	/* NULL: progress is not kept */
	bool catalog_ok;	/* the Italian catalog was found */
	struct netns *netns;	/* the lab's private network, or NULL */
	char *netns_cause;	/* why there is none (call syntax), or NULL */
	const char *pcap_path;	/* --pcap=FILE (plain mode), or NULL */
};

#endif
