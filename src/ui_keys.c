/* ui_keys.c - from a key pressed to what it does: curses' codes become
 * the key table's (keys.c), the table names the action for the screen on
 * show, and the screen's own function acts on it. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui_priv.h"

static void
toggle_lang(struct ui *ui)
{
	i18n_set(i18n_get() == I18N_EN ? I18N_IT : I18N_EN);
	if (ui->door != NULL)
		ui_door_language(ui->door);
	ui_save(ui);
}

/* A page of the text pane: the text's rows, or the question's when the
 * text has no more to show. */
static int
page_rows(const struct ui *ui)
{
	int h = ui->lay.text > 1 ? ui->lay.text : getmaxy(ui->wtext);

	return h > 1 ? h - 1 : 1;
}

/* The keys of the lesson and lecture screens that are not a pane's
 * own: moving, scrolling, the views and the lab. */
static void
step_key(struct ui *ui, enum key_action act)
{
	switch (act) {
	case KA_NEXT:
		ui_go_next(ui);
		break;
	case KA_PREV:
		ui_go_prev(ui);
		break;
	case KA_PAGE_DOWN:
		if (ui->wtext != NULL)
			ui_text_scroll(ui, page_rows(ui));
		break;
	case KA_PAGE_UP:
		if (ui->wtext != NULL)
			ui_text_scroll(ui, -page_rows(ui));
		break;
	case KA_LINE_DOWN:
		ui_text_scroll(ui, 1);
		break;
	case KA_LINE_UP:
		ui_text_scroll(ui, -1);
		break;
	case KA_LAB:
		ui->lab_open = !ui->lab_open;
		break;
	case KA_BLANK:
		ui->blank = !ui->blank;
		break;
	case KA_WIRE:
		ui_wire_toggle(ui);
		break;
	case KA_WIRE_SAVE:
		ui_wire_save(ui);
		break;
	case KA_LOG:
		ui->screen = UI_LOG;
		ui->log_scroll = 1 << 20;
		break;
	case KA_REVEAL:
		if (ui->door != NULL)
			ui_door_reveal(ui->door);
		break;
	case KA_ADDRS:
		ui->show_addrs = !ui->show_addrs;
		break;
	case KA_GUESTS:
		ui_guests_toggle(ui);
		break;
	default:
		break;
	}
}

static void
main_key(struct ui *ui, enum key_action act, int key)
{
	/* A black lecture screen comes back at any key, which does
	 * nothing else. */
	if (ui->blank) {
		ui->blank = false;
		return;
	}
	/* A greeting is read once: the next key gives its room back to
	 * the keys of the footer. */
	if (ui->status == UI_ST_RESUMED || ui->status == UI_ST_LISTEN ||
	    ui->status == UI_ST_NO_NETNS)
		ui->status = UI_ST_NONE;
	if (act == KA_MENU) {
		ui_menu_open(ui);
		return;
	}
	if (act == KA_HELP) {
		ui_help_open(ui);
		return;
	}
	if (ui->in_sandbox) {
		ui_sandbox_key(ui, act, key);
		return;
	}
	if (ui_text_key(ui, act, key) || ui_code_key(ui, act))
		return;
	step_key(ui, act);
}

/* curses' key (ch, a function key when is_key) as the key table's code. */
static int
key_code(wint_t ch, bool is_key)
{
	if (!is_key) {
		switch (ch) {
		case L'\r':
		case L'\n':
			return KC_ENTER;
		case 0x7f:
		case 0x08:
			return KC_BACKSPACE;
		case KEYS_ESC_BYTE:
			return KC_ESC;
		case KEYS_CTRL_C_BYTE:
			return KC_CTRL_C;
		}
		return (int)ch;
	}
	switch (ch) {
	case KEY_ENTER:
		return KC_ENTER;
	case KEY_BACKSPACE:
		return KC_BACKSPACE;
	case KEY_RIGHT:
		return KC_RIGHT;
	case KEY_LEFT:
		return KC_LEFT;
	case KEY_UP:
		return KC_UP;
	case KEY_DOWN:
		return KC_DOWN;
	case KEY_PPAGE:
		return KC_PGUP;
	case KEY_NPAGE:
		return KC_PGDN;
	case KEY_HOME:
		return KC_HOME;
	case KEY_END:
		return KC_END;
	case KEY_RESIZE:
		return KC_RESIZE;
	}
	return KC_OTHER;
}

static void
dispatch_key(struct ui *ui, wint_t ch, bool is_key)
{
	int key = key_code(ch, is_key);
	enum key_action act;

	if (key == KC_RESIZE) {
		clearok(curscr, TRUE);
		ui_layout(ui);
		return;
	}
	act = keys_action(ui_keys_screen(ui), key);
	/* An input field takes every key until Enter or Esc; a screen
	 * too small to draw, only quit and language. */
	if (ui_text_field(ui) != UI_FIELD_NONE && !ui->small) {
		ui_text_key(ui, act, key);
		return;
	}
	if (act == KA_QUIT) {
		ui->quit = true;
		return;
	}
	if (act == KA_LANG) {
		toggle_lang(ui);
		return;
	}
	if (ui->small)
		return;
	switch (ui->screen) {
	case UI_MENU:
		ui_menu_key(ui, act);
		break;
	case UI_HELP:
		ui_help_key(ui, act);
		break;
	case UI_CODE:
		ui_code_view_key(ui, act);
		break;
	case UI_LOG:
		ui_log_view_key(ui, act);
		break;
	case UI_MAIN:
		main_key(ui, act, key);
		break;
	}
}

void
ui_read_keys(struct ui *ui)
{
	wint_t ch;
	int r;

	while (!ui->quit && (r = wget_wch(stdscr, &ch)) != ERR)
		dispatch_key(ui, ch, r == KEY_CODE_YES);
}
