/* ui_fatal.c - the terminal comes back whatever way the program dies:
 * util_fatal (out of memory, a window curses cannot make) calls the hook
 * armed here before it aborts, as htop's fail() does.  The hook may run
 * on any thread, the lab's too, and with no memory left: it only writes
 * strings looked up beforehand and puts back the terminal modes saved
 * before curses started, which is what endwin() would do. */
#include "config.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "ui_fatal.h"
#include "util.h"

static struct termios saved;
static bool have_saved;
static char restore[256];	/* off the alternate screen, cursor on */
static size_t restore_len;

static void
add_cap(const char *name)
{
	const char *s = tigetstr(name);
	size_t n;

	if (s == NULL || s == (const char *)-1)
		return;
	n = strlen(s);
	if (n < sizeof restore - restore_len) {
		memcpy(restore + restore_len, s, n);
		restore_len += n;
	}
}

static void
fatal_hook(void)
{
	if (restore_len > 0 &&
	    write(STDOUT_FILENO, restore, restore_len) < 0) {
		/* nothing else to do */
	}
	if (have_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

void
ui_fatal_save_tty(void)
{
	have_saved = tcgetattr(STDIN_FILENO, &saved) == 0;
}

void
ui_fatal_arm(void)
{
	/* The order endwin() uses: attributes off, keypad off, cursor
	 * back, the shell's screen back. */
	restore_len = 0;
	add_cap("sgr0");
	add_cap("rmkx");
	add_cap("cnorm");
	add_cap("rmcup");
	util_set_fatal_hook(fatal_hook);
}

void
ui_fatal_disarm(void)
{
	util_set_fatal_hook(NULL);
}
