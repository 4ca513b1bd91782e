/* SPDX-License-Identifier: MIT */
/* Text from input, written for a terminal: every text-mode line of the CLI
 * that can hold input goes through here (JSON mode escapes as JSON does). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/escape.h"

void term_write(FILE *out, const char *text, size_t len) {
    lake__buf b = LAKE__BUF_INIT;
    if (lake__escape_controls(&b, text, len)) fputs("(not shown: out of memory)", out);
    else fwrite(b.data ? b.data : "", 1, b.len, out);
    lake__buf_dispose(&b);
}

void term_puts(FILE *out, const char *text) { term_write(out, text, strlen(text)); }

/* A message may come while ingest or validate shows progress (a read error
 * deep in input.c): on a terminal it first erases whatever the line holds,
 * which at a line's start is nothing. */
static void start_line(void) {
    if (isatty(STDERR_FILENO)) fputs("\r\033[K", stderr);
}

void term_error(const char *command, const char *message) {
    start_line();
    fputs(command, stderr);
    fputs(": ", stderr);
    term_puts(stderr, message);
    fputc('\n', stderr);
}

void term_errorf(const char *command, const char *format, ...) {
    char message[2048];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    term_error(command, message);
}

void term_error_block(const char *command, const char *message) {
    start_line();
    fputs(command, stderr);
    fputs(": ", stderr);
    for (const char *line = message;;) {
        const char *end = strchr(line, '\n');
        term_write(stderr, line, end ? (size_t)(end - line) : strlen(line));
        fputc('\n', stderr);
        if (!end) break;
        line = end + 1;
        /* Indented, so no line of it can pass for one of ours; a caret block shifts as a whole. */
        fputs("  ", stderr);
    }
}
