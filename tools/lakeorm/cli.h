/* SPDX-License-Identifier: MIT */
/* The lakeorm command: a thin layer over the public API. */
#ifndef LAKE_CLI_H
#define LAKE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <lakeorm.h>

/* Exit statuses, the same for every command (docs/cli.md). */
enum {
    CLI_OK = 0,       /* everything asked was done */
    CLI_REJECTED = 1, /* some input was rejected; the rest was handled */
    CLI_USAGE = 2,    /* bad arguments, schema or input file: nothing done */
    CLI_FAILED = 3,   /* the engine or storage failed: nothing written */
    CLI_REPORT = 4,   /* written, but the report (stdout) could not be */
};

int cmd_validate(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_cleanup_staging(int argc, char **argv);
int cmd_vacuum(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_stack(int argc, char **argv);

/* "90s", "30m", "24h", "7d" or plain seconds, to microseconds; -1 if malformed. */
int64_t parse_age(const char *text);

/* A command's manual page (NULL: the overview) with the option table's
 * choices filled in; NULL when unknown or out of memory. Free it with free(). */
char *help_page(const char *command);
/* Prints a command's manual page (NULL: the overview); false when unknown. */
int help_print(FILE *out, const char *command);
/* The same page as roff for man(1): lakeorm.1, lakeorm-COMMAND.1. */
int help_print_man(FILE *out, const char *command);
/* True when the command's first argument is --help or -h. */
int wants_help(int argc, char **argv);

/* --db FILE | --url URL, --staging URL, and --dialect NAME with
 * --warehouse URL (tables lakeorm keeps there itself); --config FILE and
 * --profile NAME, a profile of a configuration file whose settings the
 * other flags override, key by key (docs/cli.md, "Configuration file");
 * read_only for a command that only reads (the client opens read-only and
 * creates nothing). */
typedef struct connect_args {
    const char *db, *url, *staging, *dialect, *warehouse, *catalog, *config, *profile;
    bool read_only;
    unsigned threads; /* the client's threads when not 0 (ingest's --threads), over the profile's */
} connect_args;

/* 1 when argv[*i] was one of the flags above (its value consumed), 0 when
 * not, -1 on a missing value. */
int connect_flag(connect_args *a, int argc, char **argv, int *i);
/* Opens the client; CLI_OK, or an exit status after printing why. */
int connect_open(const connect_args *a, lake_client **out);
/* The same, printing nothing: why it failed is in *err. */
int connect_open_quiet(const connect_args *a, lake_client **out, lake_error *err);
/* A setting of the profile --config and --profile (or the lookup) select,
 * as text (lake_config_get): the schema_file of a command given no
 * --schema. CLI_OK with the value in out[size] ("" when there is no
 * profile or it does not set the key; out NULL: not wanted) and, when has_profile is not NULL,
 * whether a profile was selected; or an exit status after printing why. */
int connect_profile_value(const connect_args *a, const char *command, const char *key, char *out, size_t size,
                          bool *has_profile);
/* The same for n keys at once, from one reading of the file: outs[k][size]
 * (NULL: not wanted). */
int connect_profile_values(const connect_args *a, const char *command, size_t n, const char *const keys[],
                           char *const outs[], size_t size, bool *has_profile);
/* --threads: `given` (1 to 1024, as the client's threads key), else the
 * profile's threads, else one per processor (at most 4, the library's
 * default), into *out; CLI_OK, or CLI_USAGE after saying why. */
int connect_threads(const connect_args *a, const char *command, const char *given, unsigned *out);
/* The schema file: *schema as given (--schema), else the profile's
 * schema_file, copied into buf[size]; with neither, a usage error printing
 * `usage`, or CLI_OK leaving *schema NULL when usage is NULL. */
int connect_schema(const connect_args *a, const char *command, const char *usage, const char **schema, char *buf,
                   size_t size);

/* The next NDJSON line that holds a record (blank lines are counted and
 * skipped): its text without the line end is (*line, *len), *raw bytes with
 * it; false at the end of input or on a read error (check ferror). */
bool next_record_line(FILE *in, char **line, size_t *cap, size_t *line_no, size_t *len, size_t *raw);

/* Text read from input (paths, keys, values, messages quoting them) on a
 * terminal, escaped by lake__escape_controls: control characters (C0, C1,
 * DEL, line separators, bidirectional controls) as \n, \r, \t or \uXXXX,
 * bytes that are not UTF-8 as \xNN, so input can neither act on the terminal
 * nor start a line of its own. */
void term_write(FILE *out, const char *text, size_t len);
void term_puts(FILE *out, const char *text);
/* "<command>: <message, escaped>\n" on stderr: how a command reports an error. */
void term_error(const char *command, const char *message);
/* The same with a printf format: the whole message is escaped, so it may quote
 * paths, arguments and engine messages as they came. */
void term_errorf(const char *command, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* An engine's message that spans lines on purpose (a SQL error's caret block):
 * its line ends are kept, the lines after the first indented by two spaces
 * (so none can pass for a line of lakeorm's own), everything else escaped. */
void term_error_block(const char *command, const char *message);

/* Rejected lines: one text line, or one JSON object with, when text is given
 * (the line as read, its line end included), what recovers it byte for byte.
 * file, when not NULL (a request of several inputs), names the input the
 * line is in ("FILE: line N:", "file":"FILE").
 * report_json: 0, or -1 with errno when out failed or memory ran out. */
int report_json(FILE *out, const char *file, size_t line, const lake_issues *issues, const char *text, size_t len);
/* The text line quotes, after each issue with a path, the value there in
 * record[0..record_len) (the JSON object judged; NULL: none), as written,
 * escaped for a terminal and cut to 80 bytes with "...". */
void report_text(FILE *out, const char *file, size_t line, const lake_issues *issues, const char *record,
                 size_t record_len);
/* Reports a rejected line on stdout (JSON or text) and, when rejected is not
 * NULL, with its input (text, raw bytes) there. NULL, or what could not be
 * written ("stdout" or rejected_name), with errno. */
const char *report_rejected(int json, FILE *rejected, const char *rejected_name, const char *file, size_t line,
                            const lake_issues *issues, const char *record, size_t record_len, const char *text,
                            size_t raw);

/* Progress on a terminal (progress.c): one line on stderr, redrawn at most
 * every 200 ms and at the end of each input, erased ("\r\033[K") before a
 * report line or a message prints and when reading ends. Nothing at all
 * when stderr is not a TTY, with --quiet, or with LAKEORM_LOG set. */
typedef struct progress {
    int enabled;
    bool shown;       /* the line is on the screen */
    double started, last;
    const char *const *files; /* the inputs, borrowed */
    size_t file, count; /* the one being read, of count */
    double total;     /* the inputs' bytes; -1 when one is not a regular file */
    double before;    /* the bytes of the inputs already read */
    double file_done; /* the share of the current one read, or -1 */
    size_t records, rejected;
} progress;

void progress_start(progress *p, bool quiet, const char *const *files, size_t count);
/* file_done: input_record.done. */
void progress_update(progress *p, double file_done, size_t records, size_t rejected);
/* The current input is read: the next one starts. */
void progress_file_done(progress *p);
/* Erases the line, if shown, before anything else prints, and when reading ends. */
void progress_clear(progress *p);
double now_seconds(void);

#endif
