/* SPDX-License-Identifier: MIT */
/* Input files: globs, formats, compression. gzip and zstd are decompressed
 * as a stream behind a stdio FILE (fopencookie), so the NDJSON and CSV
 * readers read any input the same way, in constant memory. Parquet is read
 * by the embedded DuckDB (read_parquet), each row rendered as the JSON object
 * `query` prints, so its values meet the same decoder as NDJSON's. */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"
#include "csv.h"
#include "input.h"

/* ---- file lists */

int inputs_expand(const char *command, const char *const *operands, size_t n, input_list *out) {
    memset(out, 0, sizeof *out);
    static const char *const stdin_name[] = {"-"};
    if (!n) {
        out->files = malloc(sizeof *out->files);
        if (!out->files) goto oom;
        out->files[0] = stdin_name[0];
        out->count = 1;
        return CLI_OK;
    }
    if (!(out->globs = calloc(n, sizeof(glob_t)))) goto oom;
    size_t cap = n;
    if (!(out->files = malloc(cap * sizeof *out->files))) goto oom;
    for (size_t i = 0; i < n; i++) {
        const char *op = operands[i];
        if (!strpbrk(op, "*?[")) { /* a plain name, even one that does not exist (then reading it says so) */
            if (out->count == cap) {
                const char **f = realloc(out->files, (cap *= 2) * sizeof *f);
                if (!f) goto oom;
                out->files = f;
            }
            out->files[out->count++] = op;
            continue;
        }
        glob_t *g = (glob_t *)out->globs + out->nglobs++;
        int rc = glob(op, GLOB_ERR, NULL, g);
        if (rc == GLOB_NOSPACE) goto oom;
        if (rc) {
            term_errorf(command, "%s: %s", op, rc == GLOB_NOMATCH ? "no file matches" : "cannot read a folder it names");
            inputs_free(out);
            return CLI_USAGE;
        }
        if (out->count + g->gl_pathc > cap) {
            cap = out->count + g->gl_pathc + cap;
            const char **f = realloc(out->files, cap * sizeof *f);
            if (!f) goto oom;
            out->files = f;
        }
        for (size_t k = 0; k < g->gl_pathc; k++) out->files[out->count++] = g->gl_pathv[k];
    }
    return CLI_OK;
oom:
    term_error(command, "out of memory");
    inputs_free(out);
    return CLI_USAGE;
}

void inputs_free(input_list *list) {
    for (size_t i = 0; i < list->nglobs; i++) globfree((glob_t *)list->globs + i);
    free(list->globs);
    free(list->files);
    memset(list, 0, sizeof *list);
}

/* ---- names */

static bool ends_with(const char *s, size_t len, const char *tail) {
    size_t n = strlen(tail);
    return len >= n && !strncasecmp(s + len - n, tail, n);
}

typedef enum codec { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD } codec;

/* The format and compression a name says (INPUT_AUTO: it says none). */
static input_format name_format(const char *name, codec *by_name) {
    size_t len = strlen(name);
    *by_name = CODEC_NONE;
    if (ends_with(name, len, ".gz")) *by_name = CODEC_GZIP, len -= 3;
    else if (ends_with(name, len, ".zst")) *by_name = CODEC_ZSTD, len -= 4;
    else if (ends_with(name, len, ".zstd")) *by_name = CODEC_ZSTD, len -= 5;
    if (ends_with(name, len, ".ndjson") || ends_with(name, len, ".jsonl") || ends_with(name, len, ".json"))
        return INPUT_NDJSON;
    if (ends_with(name, len, ".csv")) return INPUT_CSV;
    if (ends_with(name, len, ".parquet")) return INPUT_PARQUET;
    return INPUT_AUTO;
}

/* ---- decompression behind a FILE */

enum { CHUNK = 1 << 16 };

typedef struct unpack {
    FILE *raw;
    codec codec;
    z_stream z;
    ZSTD_DStream *zs;
    unsigned char in[CHUNK];
    size_t pos, len;
    unsigned long long consumed; /* bytes read from raw: how far through the file the reader is */
    double size;                 /* raw's size when it is a regular file, else 0 (a pipe: no share known) */
    bool pipe;                   /* not a regular file: read as it comes, unbuffered */
    bool failed;                 /* a read of raw failed (errno kept in error_number) */
    int error_number;
    input_idle_fn idle;          /* called before a read of a pipe that would block */
    void *idle_ctx;
    bool ended; /* the compressed stream's last frame or member is complete */
    const char *error;
} unpack;

/* Whether reading fd now would block (nothing to read, and no end yet). */
static bool would_block(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
}

static bool refill(unpack *u) {
    if (u->pos < u->len) return true;
    u->pos = 0;
    if (!u->pipe) {
        u->len = fread(u->in, 1, sizeof u->in, u->raw);
        u->failed = u->failed || ferror(u->raw);
        if (u->failed) u->error_number = errno;
    } else {
        /* What a pipe holds now, not a full block: fread would wait for one while a
         * writer pauses, and hold back the records it already sent. */
        if (u->idle && would_block(fileno(u->raw))) u->idle(u->idle_ctx);
        ssize_t n = read(fileno(u->raw), u->in, sizeof u->in);
        if (n < 0) {
            u->failed = true;
            u->error_number = errno;
        }
        u->len = n > 0 ? (size_t)n : 0;
    }
    u->consumed += u->len;
    return u->len > 0;
}

static ssize_t unpack_read(void *cookie, char *buf, size_t size) {
    unpack *u = cookie;
    size_t done = 0;
    while (done < size) {
        if (!refill(u)) {
            if (u->failed) {
                errno = u->error_number;
                return -1;
            }
            if (!u->ended && u->codec != CODEC_NONE) {
                u->error = "the compressed input ends early (truncated)";
                errno = EIO;
                return -1;
            }
            break;
        }
        if (u->codec == CODEC_NONE) {
            size_t n = u->len - u->pos < size - done ? u->len - u->pos : size - done;
            memcpy(buf + done, u->in + u->pos, n);
            u->pos += n;
            done += n;
        } else if (u->codec == CODEC_GZIP) {
            if (u->ended) { /* another member follows (gzip files may be concatenated, RFC 1952 2.2) */
                if (inflateReset(&u->z) != Z_OK) goto bad;
                u->ended = false;
            }
            u->z.next_in = u->in + u->pos;
            u->z.avail_in = (uInt)(u->len - u->pos);
            u->z.next_out = (unsigned char *)buf + done;
            u->z.avail_out = (uInt)(size - done);
            int rc = inflate(&u->z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) goto bad;
            u->pos = u->len - u->z.avail_in;
            done = size - u->z.avail_out;
            if (rc == Z_STREAM_END) u->ended = true;
            else if (rc == Z_BUF_ERROR && u->pos < u->len) goto bad;
        } else {
            ZSTD_inBuffer in = {u->in, u->len, u->pos};
            ZSTD_outBuffer out = {buf, size, done};
            size_t rc = ZSTD_decompressStream(u->zs, &out, &in);
            if (ZSTD_isError(rc)) {
                u->error = ZSTD_getErrorName(rc);
                errno = EIO;
                return -1;
            }
            u->pos = in.pos;
            done = out.pos;
            u->ended = rc == 0; /* a frame is complete; another may follow */
        }
        if (done) break; /* hand out what there is: getline asks again */
    }
    return (ssize_t)done;
bad:
    u->error = u->z.msg ? u->z.msg : "not gzip data";
    errno = EIO;
    return -1;
}

static int unpack_close(void *cookie) {
    unpack *u = cookie;
    if (u->codec == CODEC_GZIP) inflateEnd(&u->z);
    ZSTD_freeDStream(u->zs);
    free(u);
    return 0;
}

/* Wraps raw (which stays the caller's) into a FILE that decompresses what
 * the name or, failing that, the first bytes say: gzip 1f 8b, zstd 28 b5 2f fd. */
static FILE *unpack_open(FILE *raw, codec by_name, unpack **state) {
    unpack *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->raw = raw;
    struct stat st;
    u->pipe = fstat(fileno(raw), &st) || !S_ISREG(st.st_mode);
    if (!u->pipe && st.st_size > 0) u->size = (double)st.st_size;
    /* Unbuffered, so that stdio holds nothing of the pipe's that read(2) would miss. */
    if (u->pipe) setvbuf(raw, NULL, _IONBF, 0);
    while (u->len < 4 && (u->pos = fread(u->in + u->len, 1, 4 - u->len, raw)) > 0) u->len += u->pos;
    u->consumed = u->len;
    u->pos = 0;
    static const unsigned char gz[2] = {0x1f, 0x8b}, zst[4] = {0x28, 0xb5, 0x2f, 0xfd};
    u->codec = u->len >= 2 && !memcmp(u->in, gz, 2)    ? CODEC_GZIP
             : u->len >= 4 && !memcmp(u->in, zst, 4) ? CODEC_ZSTD
                                                       : by_name;
    if (u->codec == CODEC_GZIP && inflateInit2(&u->z, 15 + 16) != Z_OK) goto fail;
    if (u->codec == CODEC_ZSTD && (!(u->zs = ZSTD_createDStream()) || ZSTD_isError(ZSTD_initDStream(u->zs))))
        goto fail;
    cookie_io_functions_t io = {unpack_read, NULL, NULL, unpack_close};
    FILE *f = fopencookie(u, "rb", io);
    if (!f) goto fail;
    *state = u;
    return f;
fail:
    if (u->codec == CODEC_GZIP) inflateEnd(&u->z);
    ZSTD_freeDStream(u->zs);
    free(u);
    return NULL;
}

/* The share of the file read (input_record.done). */
static double share(const unpack *u) {
    if (u->size <= 0) return -1;
    double d = (double)u->consumed / u->size;
    return d > 1 ? 1 : d;
}

/* ---- the formats */

static int read_ndjson(const char *file, FILE *in, const unpack *u, input_fn fn, void *ctx) {
    char *line = NULL;
    size_t cap = 0, lines = 0, len, raw;
    int status = CLI_OK;
    while (!status && next_record_line(in, &line, &cap, &lines, &len, &raw)) {
        input_record r = {file, lines, line, len, line, raw, line, raw, NULL, share(u)};
        status = fn(ctx, &r);
    }
    free(line);
    return status;
}

/* NDJSON in blocks of whole lines, read from the unpacked stream directly
 * (as much as there is: a pipe's pause does not hold back lines read). A
 * line longer than the buffer grows it. */
static int read_ndjson_text(const char *command, const char *file, unpack *u, input_text_fn fn, void *ctx) {
    size_t cap = (size_t)1 << 20, have = 0;
    char *buf = malloc(cap);
    int status = CLI_OK;
    bool nomem = !buf;
    while (!nomem) {
        if (have == cap) {
            char *b = realloc(buf, cap * 2);
            if ((nomem = !b)) break;
            buf = b;
            cap *= 2;
        }
        ssize_t n = unpack_read(u, buf + have, cap - have);
        if (n < 0) { /* the caller says why, as for a stream's read error */
            u->failed = true;
            u->error_number = errno;
            break;
        }
        if (n == 0) {
            if (have) status = fn(ctx, file, buf, have, share(u));
            break;
        }
        size_t from = have;
        have += (size_t)n;
        const char *nl = memrchr(buf + from, '\n', have - from);
        if (!nl) continue;
        size_t whole = (size_t)(nl - buf) + 1;
        if ((status = fn(ctx, file, buf, whole, share(u)))) break;
        memmove(buf, buf + whole, have - whole);
        have -= whole;
    }
    if (nomem) { /* a buffer that could not be had or grown */
        term_errorf(command, "%s: out of memory", file);
        status = CLI_USAGE;
    }
    free(buf);
    errno = u->error_number;
    return status;
}

static int read_csv(const char *command, const char *file, FILE *in, const unpack *u, const lake_schema *schema,
                    input_fn fn, void *ctx) {
    char why[512];
    csv_reader *csv;
    if (csv_open(&csv, in, schema, why, sizeof why)) {
        if (!ferror(in)) term_errorf(command, "%s: %s; nothing read", file, why);
        return ferror(in) ? CLI_OK : CLI_USAGE; /* a read error is the caller's to say */
    }
    int status = CLI_OK;
    char *good = NULL;
    size_t good_cap = 0;
    for (;;) {
        input_record r = {file, 0, NULL, 0, NULL, 0, NULL, 0, NULL, share(u)};
        csv_status s = csv_next(csv, &r.json, &r.len, &r.raw, &r.raw_len, &r.line, &r.issues);
        if (s == CSV_END || s == CSV_FAILED) {
            if (s == CSV_FAILED && !ferror(in)) {
                term_errorf(command, "%s: out of memory", file);
                status = CLI_USAGE;
            }
            break;
        }
        if (s == CSV_RECORD) {
            r.issues = NULL;
            if (r.len + 2 > good_cap) {
                char *g = realloc(good, good_cap = 2 * (r.len + 2));
                if (!g) {
                    term_errorf(command, "%s: out of memory", file);
                    status = CLI_USAGE;
                    break;
                }
                good = g;
            }
            memcpy(good, r.json, r.len);
            good[r.len] = '\n';
            r.good = good;
            r.good_len = r.len + 1;
        }
        if ((status = fn(ctx, &r))) break;
    }
    free(good);
    csv_close(csv);
    return status;
}

typedef struct parquet_run {
    const char *file;
    size_t row;
    double rows; /* the file's row count from its footer, or 0 */
    input_fn fn;
    void *ctx;
    char *good;
    size_t cap;
    int status;
} parquet_run;

static int parquet_row(void *ctx, const char *json, size_t len) {
    parquet_run *p = ctx;
    if (len + 2 > p->cap) {
        char *g = realloc(p->good, p->cap = 2 * (len + 2));
        if (!g) return p->status = CLI_USAGE;
        p->good = g;
    }
    memcpy(p->good, json, len);
    p->good[len] = '\n';
    ++p->row;
    input_record r = {p->file, p->row, json, len, p->good, len + 1, p->good, len + 1, NULL,
                      p->rows > 0 ? (double)p->row / p->rows : -1};
    return p->status = p->fn(p->ctx, &r);
}

static int parquet_count(void *ctx, const char *json, size_t len) {
    (void)len;
    const char *colon = strchr(json, ':');
    *(double *)ctx = colon ? strtod(colon + 1, NULL) : 0;
    return 0;
}

/* Through an engine in memory of its own: the target may be another engine,
 * and a query on it would hold a session the request needs. name is what
 * reports call the file (stdin's copy is read as "-"). */
static int read_parquet(const char *command, const char *name, const char *file, input_fn fn, void *ctx) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    parquet_run p = {name, 0, 0, fn, ctx, NULL, 0, CLI_OK};
    int status = CLI_USAGE;
    if (lake_client_open(&c, &o, &err)) {
        term_errorf(command, "%s: cannot start the engine that reads Parquet: %s", name, err.message);
        goto done;
    }
    lake_param param = lake_param_text(file);
    /* The row count is in the footer, so this reads no data; without it, progress shows no share. */
    if (lake_client_query_json(c, &LAKE_SQL_PARAMS("SELECT count(*) AS n FROM read_parquet(?)", &param, 1),
                               parquet_count, &p.rows, &err))
        lake_error_clear(&err);
    int rc = lake_client_query_json(c, &LAKE_SQL_PARAMS("SELECT * FROM read_parquet(?)", &param, 1), parquet_row, &p,
                                    &err);
    if (rc && p.status) {
        status = p.status;
    } else if (rc) {
        term_errorf(command, "%s: cannot read it as Parquet: %s", name, err.message);
    } else {
        status = CLI_OK;
    }
done:
    free(p.good);
    lake_client_close(c);
    lake_error_clear(&err);
    return status;
}

/* Parquet files start (and end) with these four bytes (the format's spec, "File Format"). */
static const char parquet_magic[4] = {'P', 'A', 'R', '1'};

static bool starts_parquet(const char *file) {
    FILE *f = fopen(file, "rb");
    char head[4];
    bool yes = f && fread(head, 1, 4, f) == 4 && !memcmp(head, parquet_magic, 4);
    if (f) fclose(f);
    return yes;
}

input_format input_resolve(const char *file, input_format format) {
    if (format != INPUT_AUTO) return format;
    codec by_name;
    input_format named = name_format(file, &by_name);
    /* The content says more than a name: no text format starts with "PAR1", and Parquet is never compressed whole. */
    if (named != INPUT_PARQUET && by_name == CODEC_NONE && strcmp(file, "-") && starts_parquet(file))
        return INPUT_PARQUET;
    return named == INPUT_AUTO ? INPUT_NDJSON : named;
}

/* Stdin that holds Parquet: copied to a temporary file (the reader needs to
 * seek to the footer), read from there as "-", and removed. */
static int read_parquet_stdin(const char *command, unpack *u, input_fn fn, void *ctx) {
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/lakeorm-stdin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    FILE *copy = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!copy) {
        term_errorf(command, "stdin: cannot copy the Parquet input to %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd), unlink(path);
        return CLI_USAGE;
    }
    bool ok = true;
    while (ok && refill(u)) {
        ok = fwrite(u->in + u->pos, 1, u->len - u->pos, copy) == u->len - u->pos;
        u->pos = u->len;
    }
    int e = errno;
    ok = fclose(copy) == 0 && ok && !u->failed;
    int status = CLI_USAGE;
    if (ok) status = read_parquet(command, "-", path, fn, ctx);
    else term_errorf(command, "stdin: cannot copy the Parquet input to %s: %s", path, strerror(e ? e : EIO));
    unlink(path);
    return status;
}

int input_read(const char *command, const char *file, input_format format, const lake_schema *schema, input_fn fn,
               void *ctx) {
    input_sink sink = {fn, NULL, NULL, ctx};
    return input_read_to(command, file, format, schema, &sink);
}

int input_read_to(const char *command, const char *file, input_format format, const lake_schema *schema,
                  const input_sink *sink) {
    input_fn fn = sink->record;
    void *ctx = sink->ctx;
    codec by_name;
    name_format(file, &by_name);
    bool sniff = format == INPUT_AUTO;
    format = input_resolve(file, format);
    bool is_stdin = !strcmp(file, "-");
    if (format == INPUT_PARQUET && !is_stdin) {
        if (by_name != CODEC_NONE) {
            term_errorf(command, "%s: Parquet is read from a file as it is (its pages carry their own compression)",
                        file);
            return CLI_USAGE;
        }
        return read_parquet(command, file, file, fn, ctx);
    }
    FILE *raw = is_stdin ? stdin : fopen(file, "rb");
    if (!raw) {
        term_errorf(command, "cannot read %s: %s", file, strerror(errno));
        return CLI_USAGE;
    }
    unpack *u = NULL;
    FILE *in = unpack_open(raw, by_name, &u);
    int status;
    if (in) {
        u->idle = sink->idle;
        u->idle_ctx = ctx;
    }
    if (!in) {
        term_errorf(command, "%s: out of memory", file);
        status = CLI_USAGE;
    } else if (format == INPUT_PARQUET ||
               (sniff && u->codec == CODEC_NONE && u->len >= 4 && !memcmp(u->in, parquet_magic, 4))) {
        status = read_parquet_stdin(command, u, fn, ctx);
        fclose(in);
    } else {
        status = format == INPUT_CSV ? read_csv(command, file, in, u, schema, fn, ctx)
                 : sink->text        ? read_ndjson_text(command, file, u, sink->text, ctx)
                                     : read_ndjson(file, in, u, fn, ctx);
        if (status == CLI_OK && (ferror(in) || u->failed)) {
            term_errorf(command, "%s: read error: %s", is_stdin ? "stdin" : file,
                        u->error ? u->error : strerror(errno));
            status = CLI_USAGE;
        }
        fclose(in);
    }
    if (raw != stdin) fclose(raw);
    return status;
}

/* ---- --max-rejected */

static int limit_refused(const char *command, const char *text) {
    term_errorf(command, "--max-rejected %s: expected a count (10) or a percentage (2.5%%)", text);
    return CLI_USAGE;
}

int limit_parse(const char *command, const char *text, reject_limit *out) {
    memset(out, 0, sizeof *out);
    if (!text) return CLI_OK;
    size_t len = strlen(text);
    /* Digits (and a point before a %): strtod alone would take " 1", "inf" and hex. */
    bool percent = len && text[len - 1] == '%';
    if (!len || text[0] < '0' || text[0] > '9' || strspn(text, percent ? "0123456789." : "0123456789") < len - percent)
        return limit_refused(command, text);
    char *end;
    errno = 0;
    if (percent) {
        double p = strtod(text, &end);
        if (errno || end != text + len - 1 || !isfinite(p) || p < 0 || p > 100) return limit_refused(command, text);
        out->percent = true;
        out->share = p;
    } else {
        unsigned long long n = strtoull(text, &end, 10);
        if (errno || *end) return limit_refused(command, text);
        out->count = n;
    }
    out->set = true;
    return CLI_OK;
}

bool limit_exceeded(const reject_limit *limit, size_t rejected, size_t records) {
    if (!limit->set) return false;
    if (!limit->percent) return rejected > limit->count;
    return records && (double)rejected * 100.0 > limit->share * (double)records;
}
