/* SPDX-License-Identifier: MIT */
/* The help pages as roff (man(7)), so that `man lakeorm-ingest` and
 * `lakeorm help ingest` say the same: the help text is the one source, and
 * the build prints the installed pages with `lakeorm help --man`. A page's
 * sections are its unindented lines; their bodies keep their layout (no-fill),
 * so only roff's own characters need escaping. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One line of text, roff-escaped: \ as \e, - as \- (a hyphen-minus that
 * copies as one, not a typographic hyphen), a leading . or ' made text. */
static void put_text(FILE *out, const char *s, size_t n) {
    if (n && (s[0] == '.' || s[0] == '\'')) fputs("\\&", out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') fputs("\\e", out);
        else if (s[i] == '-') fputs("\\-", out);
        else fputc(s[i], out);
    }
    fputc('\n', out);
}

static void put_upper(FILE *out, const char *s) {
    for (; *s; s++) fputc(*s == ' ' ? '-' : toupper((unsigned char)*s), out);
}

int help_print_man(FILE *out, const char *command) {
    char *text = help_page(command);
    if (!text) return 0;
    fputs(".\\\" Generated from `lakeorm help", out);
    if (command) fprintf(out, " %s", command);
    fputs("` (tools/lakeorm/help.c): edit that text, not this page.\n.TH \"LAKEORM", out);
    if (command) {
        fputc('-', out);
        put_upper(out, command);
    }
    fprintf(out, "\" 1 \"\" \"lakeorm %s\" \"lakeorm manual\"\n", lake_version());
    bool name = false, first = false;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n && line[0] != ' ') { /* a section */
            fprintf(out, ".SH \"%.*s\"\n", (int)n, line);
            name = n == 4 && !strncmp(line, "NAME", 4);
            first = true;
            if (!name) fputs(".nf\n", out);
        } else if (name && first && n) {
            /* "lakeorm ingest - what" is "lakeorm\-ingest \- what": the page's name, as whatis(1) reads it. */
            while (n && *line == ' ') line++, n--;
            const char *dash = strstr(line, " - ");
            if (!dash || dash >= line + n) dash = line + n;
            for (const char *p = line; p < dash; p++)
                if (*p == ' ' || *p == '-') fputs("\\-", out);
                else fputc(*p, out);
            if (dash < line + n) {
                fputs(" \\- ", out);
                put_text(out, dash + 3, (size_t)(line + n - dash - 3));
            } else {
                fputc('\n', out);
            }
            first = false;
        } else if (!name) {
            size_t indent = 0; /* the help text's four-space margin is roff's */
            while (indent < 4 && indent < n && line[indent] == ' ') indent++;
            put_text(out, line + indent, n - indent);
        }
        line += n + (end != NULL);
    }
    free(text);
    return 1;
}
