/* SPDX-License-Identifier: MIT */
/* The manual pages `lakeorm help [COMMAND]` and `COMMAND --help` print, the
 * one source of the roff pages too (man.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

static const char overview[] =
    "NAME\n"
    "    lakeorm - validate typed records and write them once into lakehouse tables\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm COMMAND [OPTIONS] [ARGS]\n"
    "    lakeorm help [--man] [COMMAND]\n"
    "    lakeorm help --completion bash|zsh\n"
    "\n"
    "COMMANDS\n"
    "    ingest            decode, validate and insert NDJSON records as one request\n"
    "    validate          decode and validate NDJSON records without writing them\n"
    "    schema infer      print a schema file that validates a sample of records\n"
    "    query             run a query: rows as JSON, CSV, a table or a Parquet file\n"
    "    migrate           create tables; author, verify and check migrations\n"
    "    cleanup-staging   remove staged Parquet parts that failed inserts left behind\n"
    "    vacuum            delete the files no version of a Delta table kept by lakeorm reads\n"
    "    doctor            check a setup: libraries, folders, engine, object stores, catalog\n"
    "    stack             start, check or stop a local MinIO, Iceberg REST catalog and Spark\n"
    "    version           print the library version\n"
    "    help              print this page, or a command's page\n"
    "                      (--man: as roff; --completion bash|zsh: a completion script)\n"
    "\n"
    "OPTIONS\n"
    "    An option's value follows it (--schema FILE) or an equals sign\n"
    "    (--schema=FILE). Short forms, the same in every command that has the\n"
    "    option: -s --schema, -d --db, -u --url, -t --table, -f --format,\n"
    "    -o --output, -r --rejected, -g --good, -j --json, -q --quiet,\n"
    "    -k --idempotency-key, -m --max-rejected, -h --help (first), -V --version.\n"
    "    Short forms bundle: -qj is -q -j, and -sFILE or -qsFILE give -s the rest\n"
    "    of the word. -- ends the options: what follows is an operand, even -x.\n"
    "    An unknown option exits 2, naming the nearest one. A --staging or\n"
    "    --warehouse value with no scheme is a local path (relative to the\n"
    "    working folder): file://; a --catalog one a SQLite file: sqlite://.\n"
    "\n"
    "DATABASES\n"
    "    Engine commands take --db FILE (an embedded DuckDB database, created when\n"
    "    missing; :memory: for a throwaway one) and optionally --staging URL (where\n"
    "    large inserts stage Parquet parts: file:///abs/dir or memory://name; default a\n"
    "    temporary folder). --url duckdb:///abs/lake.duckdb?staging=...&compression=zstd\n"
    "    says both at once; docs/client.md lists its keys. --url sc://host:15002/;token=...\n"
    "    ?dialect=iceberg|delta&schema=...&staging=... reaches a Spark Connect server\n"
    "    (docs/spark.md); --url https://HOST/sql/1.0/warehouses/ID?schema=main.sales&\n"
    "    staging=s3://... (or a volume: staging=/Volumes/CATALOG/SCHEMA/VOLUME/DIR) a\n"
    "    Databricks SQL warehouse, with DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and\n"
    "    DATABRICKS_CLIENT_SECRET) set (docs/databricks.md).\n"
    "    --dialect delta --warehouse URL (file:///abs/lake, s3://bucket/lake, gs://...;\n"
    "    --url duckdb://?dialect=delta&warehouse=URL) keeps Delta Lake tables at\n"
    "    <warehouse>/<table> with no cluster: lakeorm writes their files and log, and an\n"
    "    in-memory DuckDB (or --db FILE) only computes (docs/delta.md). --dialect iceberg\n"
    "    --warehouse URL [--catalog URL] keeps Apache Iceberg tables the same way at\n"
    "    <warehouse>/<namespace>/<table>, named in a catalog: sqlite:///abs/catalog.db\n"
    "    (the default: <warehouse>/catalog.db) or rest+https://host/prefix, an Iceberg\n"
    "    REST catalog (docs/iceberg.md).\n"
    "\n"
    "CONFIGURATION FILE\n"
    "    --config FILE and --profile NAME take those settings from a profile of a\n"
    "    lakeorm.toml instead: [profiles.NAME] tables whose keys are the --url query\n"
    "    keys (staging = \"s3://b/stage\", pool = 4, read_only = true), url (the\n"
    "    driver and database), schema_file (the --schema of ingest, validate and\n"
    "    migrate when none is given) and log_level; strings may hold ${VAR} and\n"
    "    ${VAR:-default} ($$ for a $). Without --config: $LAKEORM_CONFIG, else\n"
    "    ./lakeorm.toml, else ~/.config/lakeorm/lakeorm.toml ($XDG_CONFIG_HOME);\n"
    "    without --profile: $LAKEORM_PROFILE, the file's default_profile, or a\n"
    "    profile named default. A flag given overrides the profile's same setting\n"
    "    (--url and --db its url). docs/cli.md, \"Configuration file\".\n"
    "\n"
    "ENVIRONMENT\n"
    "    LAKEORM_LOG=debug|info|warn|error   structured log lines (JSON) on stderr\n"
    "    LAKEORM_CONFIG, LAKEORM_PROFILE     the configuration file and profile\n"
    "\n"
    "EXIT STATUS\n"
    "    0  everything asked was done\n"
    "    1  some input was rejected (reported on stdout); the rest was handled\n"
    "    2  bad arguments, schema file or input file: nothing was done\n"
    "    3  the engine or storage failed: nothing was written\n"
    "    4  written, but the report (stdout, stderr) could not be: do not simply retry\n"
    "    128+N  stopped by signal N (130 SIGINT, 143 SIGTERM): nothing was written\n"
    "\n"
    "SEE ALSO\n"
    "    lakeorm-ingest(1), lakeorm-validate(1), lakeorm-query(1), lakeorm-migrate(1),\n"
    "    lakeorm-cleanup-staging(1), lakeorm-vacuum(1), lakeorm-doctor(1), lakeorm-stack(1);\n"
    "    docs/cli.md, docs/schema.md\n"
    "    (schema files), docs/validation.md (rules)\n";

static const char ingest[] =
    "NAME\n"
    "    lakeorm ingest - insert NDJSON records into a table, all good lines in one request\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm ingest --schema FILE (--db FILE | --url URL) [OPTIONS] [INPUT...]\n"
    "    lakeorm ingest [--config FILE] [--profile NAME] [OPTIONS] [INPUT...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads INPUT (or stdin, or -) one JSON object per line, decodes each strictly\n"
    "    (unknown keys, wrong types and trailing data are errors) and checks the\n"
    "    schema's rules. Every rejected line is reported with its line number, field\n"
    "    and rule; the good lines are inserted as one request stamped with one\n"
    "    ingest id: all of them become visible at once, or none. Memory stays\n"
    "    constant whatever the input size. The table is created first when missing.\n"
    "\n"
    "OPTIONS\n"
    "    --schema FILE          the schema file (docs/schema.md); default the\n"
    "                           profile's schema_file\n"
    "    --table NAME           write this table instead of the schema's\n"
    "    --db FILE, --url URL, --staging URL   where to write (lakeorm help)\n"
    "    --config FILE, --profile NAME   a profile of a lakeorm.toml: where to write,\n"
    "                           and the schema file (lakeorm help, CONFIGURATION FILE)\n"
    "    --json                 rejected lines and a final summary as JSON lines\n"
    "    --rejected FILE        also write each rejected line with its errors there,\n"
    "                           its bytes recoverable exactly (docs/cli.md)\n"
    "    --all-or-nothing       any rejected line refuses the whole input\n"
    "    --path {--path}   how rows reach the engine (default auto: staged\n"
    "                           Parquet on a file:// staging backend)\n"
    "    --on-conflict {--on-conflict}   rows whose primary key exists\n"
    "    --idempotency-key KEY  a retry with the same key writes nothing twice\n"
    "    --no-migrate           do not create the table\n"
    "    --quiet                no progress line and no summary on stderr\n"
    "    --format {--format}   the inputs' format (default auto: Parquet by its\n"
    "                           PAR1 magic, else each file's name: .ndjson .jsonl .json\n"
    "                           .csv .parquet, + .gz .zst; else NDJSON)\n"
    "    --max-rejected N|P%    up to N records (or P% of them) rejected is a success\n"
    "                           (exit 0); more refuses the request (exit 1, nothing written)\n"
    "    --threads N            threads that decode and check the input (default: one\n"
    "                           per processor, at most 4; 1: one thread, as before) and\n"
    "                           that the client's insert work may use; reports, line\n"
    "                           numbers and the table are the same at any N\n"
    "\n"
    "INPUTS\n"
    "    Several files and globs (quoted globs are expanded by lakeorm) make one\n"
    "    request; reports then name the file. NDJSON and CSV may be gzip or zstd\n"
    "    (by name or magic bytes). CSV: a header of column names, RFC 4180\n"
    "    quoting; an empty unquoted cell is NULL, \"\" the empty string. Parquet\n"
    "    is read by the embedded DuckDB; its rows are numbered from 1; stdin\n"
    "    that starts with PAR1 is copied to a temporary file first.\n"
    "\n"
    "PROGRESS\n"
    "    When stderr is a terminal, a line there shows the share of the input\n"
    "    read (its bytes: compressed ones for .gz and .zst; rows for Parquet),\n"
    "    records, records a second and the time left; for a pipe, records and\n"
    "    the rate only. It is erased before each report line and at the end.\n"
    "    --quiet or LAKEORM_LOG turn it off.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 all lines inserted; 1 some lines rejected (the good ones inserted, or\n"
    "    none with --all-or-nothing); 2 usage or schema error, or --rejected names\n"
    "    an input; 3 the insert failed, or stdout or --rejected could not be\n"
    "    written before the commit: nothing was written; 4 the rows were written\n"
    "    but the report could not be (a retry would write them again without\n"
    "    --idempotency-key); 130 or 143 SIGINT or SIGTERM stopped it: nothing was\n"
    "    written and the staged parts were removed (a second signal exits at once\n"
    "    and may leave them to cleanup-staging).\n"
    "\n"
    "EXAMPLES\n"
    "    lakeorm ingest --schema users.schema.json --db lake.duckdb users.ndjson\n"
    "    zcat big.ndjson.gz | lakeorm ingest --schema s.json --db lake.duckdb --json -\n"
    "    lakeorm ingest --schema s.json --db lake.duckdb --max-rejected 1% 'in/*.csv.gz' x.parquet\n";

static const char validate[] =
    "NAME\n"
    "    lakeorm validate - check NDJSON records against a schema file, writing nothing\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm validate --schema FILE [--json] [--quiet] [--good FILE] [--rejected FILE]\n"
    "                     [--format {--format}] [--max-rejected N|P%] [--threads N] [INPUT...]\n"
    "    lakeorm validate [--config FILE] [--profile NAME] [OPTIONS] [INPUT...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Decodes and validates each line of INPUT (or stdin) as ingest would, and\n"
    "    reports every rejected line. --good copies the good lines to FILE;\n"
    "    --rejected writes each rejected line with its errors as JSON to FILE,\n"
    "    its bytes recoverable exactly (docs/cli.md). An output that is an input\n"
    "    (by any name) or the other output is refused. Inputs, --format,\n"
    "    --max-rejected, --quiet, --threads and the progress line as for ingest\n"
    "    (lakeorm help ingest): reports, line numbers, outputs and the exit status\n"
    "    are the same at any --threads. --good keeps CSV records and Parquet rows as the JSON\n"
    "    lines they were judged as. Without --schema, the schema_file of the\n"
    "    profile --config and --profile select.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 every line is good (or, with --max-rejected, no more were rejected than\n"
    "    it allows); 1 some were rejected; 2 usage or schema error, an\n"
    "    output that is an input, or a file that could not be read or written.\n";

static const char query[] =
    "NAME\n"
    "    lakeorm query - run a query, write its rows as JSON, CSV, a table or Parquet\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm query (--db FILE | --url URL | --profile NAME) [--config FILE]\n"
    "                  [--format {--format}]\n"
    "                  [--output FILE] [--exclude-system] SQL [PARAM...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Runs one SELECT-like statement with PARAMs bound as text to its ? or $N\n"
    "    placeholders (cast them in SQL for other types: CAST(? AS BIGINT)), and\n"
    "    streams the rows to stdout. Unqualified names resolve in the database's\n"
    "    main schema. The database opens read-only: nothing is written or created.\n"
    "    Every engine prints the same row the same way (docs/cli.md gives each\n"
    "    type's form: full-precision floats, UTC timestamps, base64 bytes).\n"
    "\n"
    "OPTIONS\n"
    "    --format F     json (one object per line, the default); csv (a header\n"
    "                   line, RFC 4180 quoting, LF line ends, NULL an empty field,\n"
    "                   the empty string \"\"); table (aligned, for a terminal);\n"
    "                   parquet (needs --output)\n"
    "    --output FILE  write FILE instead of stdout, replaced only on success\n"
    "    --exclude-system  leave out the system column _ingest_id, so that the\n"
    "                   output of SELECT * ingests back with the table's schema\n"
    "    --db, --url, --config, --profile   the database (lakeorm help)\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done; 2 a missing database, parameters that do not match or are not\n"
    "    UTF-8, or a column type lakeorm does not print (cast it in SQL);\n"
    "    3 the engine refused or failed the statement.\n"
    "\n"
    "EXAMPLES\n"
    "    lakeorm query --db lake.duckdb 'SELECT * FROM users WHERE age > CAST(? AS INT)' 30\n"
    "    lakeorm query --db lake.duckdb --format parquet --output users.parquet 'SELECT * FROM users'\n";

static const char migrate[] =
    "NAME\n"
    "    lakeorm migrate - create tables, author migration files, check files and tables\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm migrate create (--db FILE | --url URL) --schema FILE [--schema FILE...]\n"
    "                           [--rename TABLE.OLD=NEW...]\n"
    "    lakeorm migrate generate --dir DIR [--dialect {--dialect}] --schema FILE...\n"
    "                             [--rename TABLE.OLD=NEW...]\n"
    "    lakeorm migrate verify --dir DIR [--json]\n"
    "    lakeorm migrate assert (--db FILE | --url URL) --schema FILE... [--json]\n"
    "    (--config FILE and --profile NAME: a profile's database, and its schema_file\n"
    "    when no --schema is given)\n"
    "\n"
    "DESCRIPTION\n"
    "    create: CREATE TABLE IF NOT EXISTS for each schema file (columns, NOT NULL,\n"
    "    primary key, _ingest_id); every file is parsed before anything is created.\n"
    "    Tables lakeorm keeps in a warehouse also gain the model's new nullable\n"
    "    columns. --rename applies a declared rename to an existing table natively:\n"
    "    Iceberg keeps the field id under the new name (old files read by id),\n"
    "    DuckDB, Spark and Databricks run ALTER TABLE ... RENAME COLUMN; lakeorm's\n"
    "    Delta tables refuse (a rename needs column mapping: author a migration).\n"
    "    A rename already applied (the table has NEW, not OLD) is skipped, so create\n"
    "    can run again; one whose columns are both missing, or whose NEW is taken,\n"
    "    fails before anything changes.\n"
    "\n"
    "    generate: compares each schema with the state recorded in the newest file\n"
    "    for its table in DIR and writes YYYYMMDDHHMMSS_<table>.sql in goose format\n"
    "    (-- +goose Up / -- +goose Down) in the dialect's grammar, with a\n"
    "    -- DESTRUCTIVE: line before every risky statement, then rewrites\n"
    "    DIR/lakeorm.sum. No drift, no file. Renames are never guessed: declare them.\n"
    "\n"
    "    verify: recomputes lakeorm.sum and lists every file edited, missing or\n"
    "    unlisted since generation.\n"
    "\n"
    "    assert: compares the live tables with the schema files and lists every\n"
    "    difference (missing table or column, extra column, type, nullability,\n"
    "    primary key).\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done, or nothing differs; 1 verify or assert found differences (listed on\n"
    "    stdout); 2 usage or schema error, or no lakeorm.sum; 3 the engine or the\n"
    "    file system failed.\n"
    "\n"
    "EXAMPLES\n"
    "    lakeorm migrate create --url 'duckdb://?dialect=iceberg&warehouse=file:///wh' \\\n"
    "        --schema users.json --rename users.nick=handle\n"
    "    lakeorm migrate generate --dir migrations --dialect iceberg --schema users.json\n"
    "    lakeorm migrate generate --dir migrations --schema users.json --rename users.nick=handle\n"
    "    lakeorm migrate verify --dir migrations\n";

static const char cleanup[] =
    "NAME\n"
    "    lakeorm cleanup-staging - remove staged parts older than an age\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm cleanup-staging --staging URL [--older-than AGE] [--json]\n"
    "    lakeorm cleanup-staging --url URL [--older-than AGE] [--json]\n"
    "    lakeorm cleanup-staging --profile NAME [--config FILE] [--older-than AGE] [--json]\n"
    "\n"
    "DESCRIPTION\n"
    "    Inserts stage Parquet parts under _staging/<ingest id>/ and remove them\n"
    "    when they end; a crash can leave some behind. This lists _staging/, reads\n"
    "    the time inside each UUIDv7 ingest id, and deletes the prefixes older than\n"
    "    AGE (default 24h; units s, m, h, d). Prefixes that are not ingest ids are\n"
    "    reported and left alone. --url cleans the staging a client URL names, such\n"
    "    as a Databricks warehouse's ?staging=/Volumes/... (through its Files API).\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done; 1 some prefixes could not be removed or are not lakeorm's;\n"
    "    2 usage error; 3 the listing failed.\n";

static const char vacuum[] =
    "NAME\n"
    "    lakeorm vacuum - delete the files no recent version of a table reads\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm vacuum --table NAME (--dialect delta|iceberg --warehouse URL\n"
    "                   [--catalog URL] | --url URL | --profile NAME) [--config FILE]\n"
    "                   [--retain AGE] [--delete] [--json]\n"
    "\n"
    "DESCRIPTION\n"
    "    Lists the data files under the table's folder that no version younger than\n"
    "    AGE (default 168h; units s, m, h, d) references: files that updates and\n"
    "    merges replaced, and files of writes that never committed (a crash). A dry\n"
    "    run by default: it prints each file and the total; --delete deletes them.\n"
    "    A file the current version reads is never deleted, nor one younger than AGE.\n"
    "    On an Iceberg table --delete first expires the snapshots older than AGE (never\n"
    "    the current one, nor one a branch or tag names), then deletes the files no\n"
    "    remaining snapshot reaches.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done; 2 usage error; 3 the table could not be read or a file not deleted.\n";

static const char schema[] =
    "NAME\n"
    "    lakeorm schema infer - print a schema file that validates a sample\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm schema infer [--table NAME] [--output FILE]\n"
    "                         [--format {--format}] [INPUT...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads the records of INPUT (or stdin; files, globs, gzip and zstd as for\n"
    "    ingest) and prints the schema file (docs/schema.md) that validates them:\n"
    "    bool, int64 (never narrower), float64 (ints that meet a fraction widen),\n"
    "    timestamp, date or uuid when every string parses as one, else string;\n"
    "    objects as struct (json past 256 keys or 64 levels), arrays as list<T>\n"
    "    (T? when an element is null); values that disagree as json (CSV: string).\n"
    "    A key missing from some records or null in some is nullable; one always\n"
    "    null is json,nullable. No rules: add them. The table is NAME, else the\n"
    "    first file's base name made a plain identifier. --output writes FILE.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 printed; 1 a record is not a JSON object (CSV: a malformed record),\n"
    "    named, and nothing printed; 2 usage error, an unreadable input, a sample\n"
    "    with no records, or a schema that does not compile (--table's name).\n";

static const char doctor[] =
    "NAME\n"
    "    lakeorm doctor - check a setup and say what to fix\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm doctor [--db FILE | --url URL | --profile NAME] [--config FILE]\n"
    "                   [--staging URL] [--dialect NAME] [--warehouse URL]\n"
    "                   [--catalog URL] [--timeout SECONDS] [--json]\n"
    "\n"
    "DESCRIPTION\n"
    "    Takes the connect options of the engine commands (a profile of a\n"
    "    lakeorm.toml too: lakeorm help) and checks, in order: the\n"
    "    libraries lakeorm runs with and their versions; that the local folders it\n"
    "    writes (the database file's, staging, warehouse, catalog) are writable;\n"
    "    that the engine answers (its version) and can create and drop a table\n"
    "    lakeorm_doctor_<uuid> of the configured kind (Delta and Iceberg tables in\n"
    "    the warehouse); that an Iceberg catalog lists its namespaces and registers\n"
    "    and drops that table; that each object store in use (staging, warehouse)\n"
    "    takes a put, get, list and delete of one object under _lakeorm_doctor/,\n"
    "    and, over HTTP, how far the server's clock is from this\n"
    "    machine's (S3 refuses requests signed 15 minutes off; past a minute warns)\n"
    "    and whether TLS verified, with which CA bundle. Each row is a check, pass,\n"
    "    warn, fail or skip, a detail and, for a failure, the fix. --json prints one\n"
    "    document: {\"ok\":BOOL,\"checks\":[{\"check\",\"status\",\"detail\",\"fix\"}]}.\n"
    "    A check that takes longer than --timeout (default 10 s) fails as timed out\n"
    "    and ends the run with the report so far. With no database: an in-memory one.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 no check failed (warnings allowed); 1 a check failed; 2 usage error.\n";

static const char stack[] =
    "NAME\n"
    "    lakeorm stack - a local MinIO, Iceberg REST catalog and Spark Connect server\n"
    "\n"
    "SYNOPSIS\n"
    "    lakeorm stack up|status|down [--dir DIR] [--only minio,rest,spark]\n"
    "                 [--port-base N] [--tools DIR]\n"
    "\n"
    "DESCRIPTION\n"
    "    up starts, on 127.0.0.1 and with no Docker, MinIO (bucket lake; its\n"
    "    console on the next port), Iceberg's REST catalog server and a Spark\n"
    "    Connect server with Iceberg (catalog lake, the REST catalog) and Delta,\n"
    "    reading s3:// on the MinIO; it waits until each answers (Spark takes a\n"
    "    minute; a terminal sees the seconds). Data stays in DIR (default\n"
    "    ./.lakeorm-stack) across down and up; a server already up is left alone.\n"
    "    It writes DIR/lakeorm.toml, the profiles local-spark (Spark, Iceberg\n"
    "    tables, parts staged on MinIO) and local-duckdb (embedded DuckDB, parts\n"
    "    staged on MinIO), with no secrets: MinIO's credentials and endpoint\n"
    "    are in DIR/env (mode 0600; . DIR/env), its random secret in DIR/secret.\n"
    "    status prints each service: up or down, pid, port, health. down stops\n"
    "    them: SIGTERM, then SIGKILL after 10 s.\n"
    "\n"
    "    Ports: 9000 (MinIO, console 9001), 15002 (Spark), 8181 (REST catalog);\n"
    "    --port-base N: N (MinIO), N+1 (console), N+2 (Spark), N+3 (REST).\n"
    "    --only starts, checks or stops those services alone. The tools are\n"
    "    those scripts/setup installs in a lakeorm checkout (.cache, .venv):\n"
    "    --tools CHECKOUT, else LAKEORM_TOOLS, else the source tree of a build\n"
    "    tree's binary, else PATH (minio, python3 with pyspark, java).\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done (status: every service up and healthy); 1 a tool is missing\n"
    "    (named, with how to install it; nothing started), a service did not\n"
    "    start, or (status) a service is down; 2 usage error.\n";

static const char *help_text(const char *command) {
    static const struct {
        const char *name, *text;
    } pages[] = {{"ingest", ingest}, {"validate", validate}, {"query", query}, {"migrate", migrate},
                 {"cleanup-staging", cleanup}, {"vacuum", vacuum}, {"schema", schema},
                 {"doctor", doctor}, {"stack", stack}};
    if (!command) return overview;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (!strcmp(command, pages[i].name)) return pages[i].text;
    return NULL;
}

/* "{--format}" in a page is the choices of the page's command's --format
 * in options.c, joined with "|": the page cannot list other values than the
 * command takes, nor the completions. */
char *help_page(const char *command) {
    const char *text = help_text(command);
    if (!text) return NULL;
    const cli_command *c = command ? cli_command_find(command) : NULL;
    char *page = NULL;
    size_t len;
    FILE *m = open_memstream(&page, &len);
    if (!m) return NULL;
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        char name[32], choices[256];
        if (close && (size_t)(close - p) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
            const cli_option *o = c ? cli_option_find(c, name) : NULL;
            if (o && o->choices) {
                cli_choices_join(o->choices, choices, sizeof choices);
                fputs(choices, m);
                p = close + 1;
                continue;
            }
        }
        fputc(*p++, m);
    }
    if (fclose(m)) {
        free(page);
        return NULL;
    }
    return page;
}

int help_print(FILE *out, const char *command) {
    char *page = help_page(command);
    if (page) fputs(page, out);
    free(page);
    return page != NULL;
}

int wants_help(int argc, char **argv) {
    /* Only right after the command: later a "-h" may be a query parameter. */
    return argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
}
