/* SPDX-License-Identifier: MIT */
/* lakeorm stack up|down|status: MinIO, an Iceberg REST catalog and a Spark
 * Connect server on loopback, with no Docker (docs/cli.md, "A local stack").
 * How each server is found, launched, probed and stopped lives in one place,
 * the service scripts (tools/lakeorm/stack, installed to
 * share/lakeorm/stack), which the test suite's fixtures run too; this file
 * picks the services, ports and folders, runs the scripts (posix_spawn, no
 * shell), shows progress, and writes the profiles and the credentials. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"

#define COMMAND "lakeorm stack"

extern char **environ;

/* In the order up starts them: Spark's catalog and s3a point at the other two.
 * Ports: the port base (9000 by default) and the three after it, except that
 * with no --port-base Spark and the catalog keep their usual 15002 and 8181. */
enum { MINIO, REST, SPARK, NSERVICES };
static const struct {
    const char *name, *script;
    int offset, usual; /* port: base + offset with --port-base, else usual */
} services[NSERVICES] = {
    {"minio", "minio.sh", 0, 9000}, /* and its console on the next port */
    {"rest", "iceberg_rest.sh", 3, 8181},
    {"spark", "spark.sh", 2, 15002},
};

typedef struct stack {
    const char *dir, *only, *port_base, *tools;
    bool selected[NSERVICES];
    int ports[NSERVICES];
    char root[PATH_MAX];    /* --dir made absolute */
    char scripts[PATH_MAX]; /* where minio.sh and the others are */
} stack;

/* The binary's own path, resolved, in buf; false when /proc cannot say. */
static bool self_path(char *buf, size_t size) {
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) return false;
    buf[n] = 0;
    return true;
}

/* True when this binary is the one a build tree of the source made: then the
 * scripts and tools are the source tree's, not an installed copy's. */
static bool in_build_tree(void) {
    char exe[PATH_MAX], build[PATH_MAX];
    if (!self_path(exe, sizeof exe) || !realpath(LAKE_BINARY_DIR, build)) return false;
    size_t n = strlen(build);
    return !strncmp(exe, build, n) && exe[n] == '/';
}

static int path_join(char *out, size_t size, const char *a, const char *b) {
    int n = snprintf(out, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size) {
        term_errorf(COMMAND, "%s/%s: path too long", a, b);
        return -1;
    }
    return 0;
}

static int locate(stack *s) {
    bool build = in_build_tree();
    if (build) snprintf(s->scripts, sizeof s->scripts, "%s", LAKE_SOURCE_DIR "/tools/lakeorm/stack");
    else {
        char exe[PATH_MAX];
        if (!self_path(exe, sizeof exe)) {
            term_error(COMMAND, "cannot tell where this binary is (/proc/self/exe), so where its scripts are");
            return CLI_FAILED;
        }
        if (path_join(s->scripts, sizeof s->scripts, dirname(exe), "../" LAKE_STACK_SHARE)) return CLI_USAGE;
    }
    /* The tools: --tools, else LAKEORM_TOOLS, else the source tree a build
     * tree came from, else none (the scripts look on PATH). */
    const char *tools = s->tools ? s->tools : getenv("LAKEORM_TOOLS");
    if ((!tools || !*tools) && build) tools = LAKE_SOURCE_DIR;
    if (tools && *tools) {
        char abs[PATH_MAX];
        if (!realpath(tools, abs)) {
            term_errorf(COMMAND, "--tools %s: %s", tools, strerror(errno));
            return CLI_USAGE;
        }
        setenv("LAKEORM_TOOLS", abs, 1);
    } else {
        unsetenv("LAKEORM_TOOLS");
    }
    return CLI_OK;
}

/* A service's state folder, root/<name>. */
static int state_dir(const stack *s, int k, char *out, size_t size) {
    return path_join(out, size, s->root, services[k].name);
}

/* Runs SCRIPT VERB STATE [PORT]; its exit status, or -1 after saying why.
 * With label (up), the script runs in a session of its own, so the servers
 * it leaves behind are not the terminal's (closing it does not stop them),
 * and a terminal sees the label and the seconds spent; the first SIGINT or
 * SIGTERM stops what it was starting. */
static int run(const stack *s, int k, const char *verb, const char *label) {
    char script[PATH_MAX], state[PATH_MAX], port[16];
    if (path_join(script, sizeof script, s->scripts, services[k].script) || state_dir(s, k, state, sizeof state))
        return -1;
    snprintf(port, sizeof port, "%d", s->ports[k]);
    char *argv[] = {script, (char *)verb, state, s->ports[k] ? port : NULL, NULL};
    posix_spawnattr_t attr;
    if (posix_spawnattr_init(&attr)) return -1;
    if (label) posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    pid_t pid;
    int rc = posix_spawn(&pid, script, NULL, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    if (rc) {
        term_errorf(COMMAND, "%s: %s (the lakeorm installation is incomplete)", script, strerror(rc));
        return -1;
    }
    bool tty = label && isatty(STDERR_FILENO);
    double started = now_seconds();
    int status, stopped = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, label ? WNOHANG : 0);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) {
            term_errorf(COMMAND, "waiting for %s: %s", script, strerror(errno));
            return -1;
        }
        if (!label) continue;
        if (interrupt_signal() && !stopped) {
            kill(-pid, SIGTERM); /* the script and the server it launched: one process group */
            stopped = 1;
        }
        if (tty) {
            fprintf(stderr, "\r\033[K%s ... %.0f s", label, now_seconds() - started);
            fflush(stderr);
        }
        nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    }
    if (tty) fputs("\r\033[K", stderr);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Writes text to path through a temporary file renamed over it, readable by
 * the owner only when private. */
static int write_file(const char *path, const char *text, bool private) {
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, private ? 0600 : 0644);
    if (fd < 0) goto fail;
    size_t len = strlen(text);
    if (fchmod(fd, private ? 0600 : 0644) || write(fd, text, len) != (ssize_t)len) {
        close(fd);
        goto fail;
    }
    if (close(fd) || rename(tmp, path)) goto fail;
    return 0;
fail:
    term_errorf(COMMAND, "writing %s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
}

/* MinIO's secret: made once per stack folder (random, 0600 in root/secret)
 * and kept, since the data MinIO keeps there is tied to it. */
static int minio_secret(const stack *s, char secret[41]) {
    char path[PATH_MAX];
    if (path_join(path, sizeof path, s->root, "secret")) return -1;
    FILE *f = fopen(path, "re");
    if (f) {
        bool ok = fgets(secret, 41, f) && strlen(secret) == 40;
        fclose(f);
        if (ok) return 0;
    }
    unsigned char bytes[20];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
        term_errorf(COMMAND, "no random bytes for MinIO's secret: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof bytes; i++) snprintf(secret + 2 * i, 3, "%02x", bytes[i]);
    return write_file(path, secret, true);
}

/* Text built by appends; full is set when one did not fit. */
typedef struct text {
    char data[16384];
    size_t len;
    bool full;
} text;

static void append(text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void append(text *t, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(t->data + t->len, sizeof t->data - t->len, format, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof t->data - t->len) t->full = true;
    else t->len += (size_t)n;
}

static int write_text(const stack *s, const char *name, const text *t, bool private) {
    char path[PATH_MAX];
    if (t->full) {
        term_errorf(COMMAND, "%s does not fit: use a shorter --dir", name);
        return -1;
    }
    return path_join(path, sizeof path, s->root, name) || write_file(path, t->data, private) ? -1 : 0;
}

/* root/env (0600): the variables a client of the stack's MinIO needs, for
 * `. root/env`; and root/lakeorm.toml: a profile per engine, no secrets. */
static int write_profiles(const stack *s, const char *secret) {
    text *t = calloc(1, sizeof *t);
    if (!t) {
        term_error(COMMAND, "out of memory");
        return -1;
    }
    int rc = 0;
    if (s->selected[MINIO]) {
        append(t,
               "# lakeorm stack: the MinIO of %s, for clients of its s3:// buckets.\n"
               "# Source it: . %s/env\n"
               "export AWS_ACCESS_KEY_ID=lakeorm\n"
               "export AWS_SECRET_ACCESS_KEY=%s\n"
               "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:%d\n"
               "export AWS_REGION=us-east-1\n",
               s->root, s->root, secret, s->ports[MINIO]);
        rc = write_text(s, "env", t, true);
        t->len = 0;
    }
    append(t,
           "# Written by `lakeorm stack up`: profiles for the servers it started in\n"
           "# %s. No secrets here: s3:// staging takes the MinIO credentials\n"
           "# and endpoint from the environment: . %s/env\n",
           s->root, s->root);
    if (s->selected[SPARK]) {
        append(t, "\n# Iceberg tables in Spark's catalog \"lake\"");
        if (s->selected[REST]) append(t, " (the REST catalog on port %d)", s->ports[REST]);
        append(t, "; Delta tables: dialect=delta&schema=local.\n"
                   "[profiles.local-spark]\n"
                   "url = \"sc://127.0.0.1:%d?dialect=iceberg&schema=lake.local&staging=",
               s->ports[SPARK]);
        if (s->selected[MINIO]) append(t, "s3://lake/spark-staging\"\n");
        else append(t, "file://%s/spark-staging\"\n", s->root);
    }
    if (s->selected[MINIO])
        append(t,
               "\n# Embedded DuckDB, large inserts staged on MinIO.\n"
               "[profiles.local-duckdb]\n"
               "url = \"duckdb://%s/local.duckdb?staging=s3://lake/duckdb-staging\"\n",
               s->root);
    if (!rc) rc = write_text(s, "lakeorm.toml", t, false);
    free(t);
    return rc;
}

static int up(stack *s) {
    int missing = 0;
    for (int k = 0; k < NSERVICES; k++)
        if (s->selected[k] && run(s, k, "check", NULL)) missing = 1;
    if (missing) {
        term_error(COMMAND, "nothing started: install what is missing (above), then run it again");
        return CLI_REJECTED;
    }
    char secret[41] = "", spark_s3[64], rest[64];
    if (s->selected[MINIO] && minio_secret(s, secret)) return CLI_FAILED;
    setenv("LAKE_STACK_S3_USER", "lakeorm", 1);
    setenv("LAKE_STACK_S3_SECRET", secret, 1);
    snprintf(spark_s3, sizeof spark_s3, "http://127.0.0.1:%d", s->ports[MINIO]);
    snprintf(rest, sizeof rest, "http://127.0.0.1:%d", s->ports[REST]);
    if (s->selected[MINIO]) setenv("LAKE_SPARK_S3_ENDPOINT", spark_s3, 1);
    else unsetenv("LAKE_SPARK_S3_ENDPOINT");
    if (s->selected[REST]) setenv("LAKE_SPARK_ICEBERG_REST", rest, 1);
    else unsetenv("LAKE_SPARK_ICEBERG_REST");
    if (interrupt_install()) return CLI_FAILED;
    for (int k = 0; k < NSERVICES; k++) {
        if (!s->selected[k]) continue;
        char label[128];
        snprintf(label, sizeof label, "starting %s on 127.0.0.1:%d", services[k].name, s->ports[k]);
        double t = now_seconds();
        int rc = run(s, k, "up", label);
        if (interrupt_signal()) {
            run(s, k, "stop", NULL);
            term_errorf(COMMAND, "interrupted while starting %s; it is stopped", services[k].name);
            return 128 + interrupt_signal();
        }
        if (rc) {
            term_errorf(COMMAND, "%s did not start (above); lakeorm stack down stops the others", services[k].name);
            return CLI_REJECTED;
        }
        printf("%-6s up on 127.0.0.1:%d (%.0f s)\n", services[k].name, s->ports[k], now_seconds() - t);
        fflush(stdout);
    }
    if (write_profiles(s, secret)) return CLI_FAILED;
    printf("profiles: %s/lakeorm.toml%s%s\n", s->root, s->selected[SPARK] ? " local-spark" : "",
           s->selected[MINIO] ? " local-duckdb" : "");
    if (s->selected[MINIO]) printf("credentials: . %s/env\n", s->root);
    return CLI_OK;
}

static int status(stack *s) {
    int down = 0;
    for (int k = 0; k < NSERVICES; k++)
        if (s->selected[k] && run(s, k, "status", NULL)) down = 1;
    fflush(stdout);
    return down ? CLI_REJECTED : CLI_OK;
}

static int down(stack *s) {
    int failed = 0;
    for (int k = NSERVICES - 1; k >= 0; k--) {
        if (!s->selected[k]) continue;
        if (run(s, k, "stop", NULL)) failed = 1;
        else printf("%-6s stopped\n", services[k].name);
    }
    return failed ? CLI_FAILED : CLI_OK;
}

/* --only minio,spark,rest into s->selected; with no --only, up takes all
 * three and status and down the ones root has a folder of. */
static int select_services(stack *s, bool all) {
    if (!s->only) {
        for (int k = 0; k < NSERVICES; k++) {
            char dir[PATH_MAX];
            struct stat st;
            s->selected[k] = all || (!state_dir(s, k, dir, sizeof dir) && !stat(dir, &st));
        }
        return CLI_OK;
    }
    for (const char *p = s->only; *p;) {
        size_t len = strcspn(p, ",");
        int k = 0;
        while (k < NSERVICES && (strlen(services[k].name) != len || strncmp(p, services[k].name, len))) k++;
        if (k == NSERVICES) {
            term_errorf(COMMAND, "--only %s: the services are minio, rest and spark", s->only);
            return CLI_USAGE;
        }
        s->selected[k] = true;
        p += len + (p[len] == ',');
    }
    return CLI_OK;
}

static int set_ports(stack *s) {
    long base = 0;
    if (s->port_base) {
        char *end;
        errno = 0;
        base = strtol(s->port_base, &end, 10);
        if (errno || end == s->port_base || *end || base < 1024 || base > 65535 - 3) {
            term_errorf(COMMAND, "--port-base %s: a port from 1024 to 65532 (four in a row are used)", s->port_base);
            return CLI_USAGE;
        }
    }
    for (int k = 0; k < NSERVICES; k++) s->ports[k] = base ? (int)base + services[k].offset : services[k].usual;
    return CLI_OK;
}

int cmd_stack(int argc, char **argv) {
    stack s = {0};
    const char *verb = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--dir")         ? &s.dir
                          : !strcmp(argv[i], "--only")        ? &s.only
                          : !strcmp(argv[i], "--port-base")   ? &s.port_base
                          : !strcmp(argv[i], "--tools")       ? &s.tools
                                                              : NULL;
        if (slot && i + 1 < argc) *slot = argv[++i];
        else if (!slot && !verb && argv[i][0] != '-') verb = argv[i];
        else {
            term_errorf(COMMAND, "unexpected %s (see lakeorm help stack)", argv[i]);
            return CLI_USAGE;
        }
    }
    if (!verb || (strcmp(verb, "up") && strcmp(verb, "down") && strcmp(verb, "status"))) {
        fprintf(stderr, "usage: lakeorm stack up|down|status [--dir DIR] [--only minio,rest,spark] [--port-base N] "
                        "[--tools DIR]\n");
        return CLI_USAGE;
    }
    const char *dir = s.dir ? s.dir : ".lakeorm-stack";
    bool is_up = !strcmp(verb, "up");
    if (is_up && mkdir(dir, 0700) && errno != EEXIST) {
        term_errorf(COMMAND, "--dir %s: %s", dir, strerror(errno));
        return CLI_FAILED;
    }
    if (!realpath(dir, s.root)) {
        if (errno != ENOENT) {
            term_errorf(COMMAND, "--dir %s: %s", dir, strerror(errno));
            return CLI_FAILED;
        }
        if (!strcmp(verb, "down")) return CLI_OK; /* nothing was started there */
        term_errorf(COMMAND, "no stack in %s (lakeorm stack up starts one)", dir);
        return CLI_REJECTED;
    }
    /* The folder goes into URLs and TOML strings as it is. */
    for (const char *c = s.root; *c; c++)
        if ((unsigned char)*c <= ' ' || strchr("\"\\?&#%", *c)) {
            term_errorf(COMMAND, "--dir %s: its path has a character a URL or TOML string cannot hold as it is (%c)",
                        s.root, *c);
            return CLI_USAGE;
        }
    int rc = select_services(&s, is_up);
    if (!rc && is_up) rc = set_ports(&s);
    if (!rc) rc = locate(&s);
    if (rc) return rc;
    if (is_up) return up(&s);
    if (!strcmp(verb, "status")) {
        bool any = false;
        for (int k = 0; k < NSERVICES; k++) any |= s.selected[k];
        if (!any) {
            term_errorf(COMMAND, "no stack in %s (lakeorm stack up starts one)", dir);
            return CLI_REJECTED;
        }
        return status(&s);
    }
    return down(&s);
}
