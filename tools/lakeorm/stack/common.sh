# SPDX-License-Identifier: MIT
# Sourced by the service scripts beside it (minio.sh, spark.sh,
# iceberg_rest.sh): the one copy of how a server of the local stack is
# checked for, launched, probed, reported and stopped. `lakeorm stack` runs
# those scripts, and so do the test suite's fixtures (tests/s3/minio.sh,
# tests/spark/server.sh, tests/iceberg/rest_server.sh), so the two cannot
# drift apart.
#
# A script sets svc_name, svc_wait (health probes, 0.2 s apart, before giving
# up) and svc_ports (how many ports from PORT it takes), defines
#   svc_check            prints each missing tool and how to get it; 1 if any
#   svc_launch STATE PORT  runs the server in the foreground (exec)
#   svc_healthy PORT     0 when the server answers
#   svc_ready STATE PORT   once, after the first healthy probe (a bucket...)
# and ends with: stack_main "$@".
#
# Usage of every script: SCRIPT VERB STATE_DIR [PORT], VERB one of
#   check   what is missing (exit 1 when anything is)
#   start   from nothing: stop what runs there, empty STATE_DIR, launch, wait
#           until healthy (the test fixtures: every run starts clean)
#   up      keep STATE_DIR's data; a healthy server there is left alone
#           (lakeorm stack up: run twice, still one server)
#   stop    SIGTERM, LAKE_STACK_GRACE seconds (default 10), then SIGKILL
#   status  one line: name, up|down, pid, port, health; exit 0 only when up
# STATE_DIR holds service.pid, port and service.log besides the data.
#
# Where the tools are: LAKEORM_TOOLS, a lakeorm checkout where scripts/setup
# ran (its .cache and .venv); unset, PATH. MinIO's user and secret:
# LAKE_STACK_S3_USER and LAKE_STACK_S3_SECRET (the suite's lakeorm and
# lakeorm-secret when unset), passed in the environment, never as arguments.
set -euo pipefail
tools=${LAKEORM_TOOLS:-}
: "${LAKE_STACK_S3_USER:=lakeorm}" "${LAKE_STACK_S3_SECRET:=lakeorm-secret}" "${LAKE_STACK_GRACE:=10}"
setup_hint="run scripts/setup in a lakeorm checkout, then pass --tools CHECKOUT (or set LAKEORM_TOOLS)"
[ -z "$tools" ] || setup_hint="run $tools/scripts/setup"

# missing WHAT HOW: one line of svc_check's report.
missing() { echo "missing for $svc_name: $1 ($2)"; }

need_java() {
  command -v java >/dev/null || missing "java on PATH (Java 17)" "apt-get install openjdk-17-jre-headless"
}

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ours STATE PID: PID is alive and is the server launched in STATE (its
# working folder), not an unrelated process that reused a stale pid.
ours() {
  kill -0 "$2" 2>/dev/null || return 1
  [ "$(readlink "/proc/$2/cwd" 2>/dev/null)" = "$(cd "$1" 2>/dev/null && pwd -P)" ]
}

stack_stop() {
  local state=$1 pid
  [ -f "$state/service.pid" ] || return 0
  pid=$(cat "$state/service.pid")
  if ours "$state" "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local tries=$((LAKE_STACK_GRACE * 10))
    while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    # Gone, or a zombie its new parent has yet to reap; a few seconds at most
    # (a process stuck in the kernel cannot be waited out).
    tries=50
    while ((tries-- > 0)) && [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
      sleep 0.1
    done
  fi
  rm -f "$state/service.pid"
}

stack_status() {
  local state=$1 pid="" port="" health=failing
  [ -f "$state/service.pid" ] && pid=$(cat "$state/service.pid")
  [ -f "$state/port" ] && port=$(cat "$state/port")
  if [ -n "$pid" ] && ours "$state" "$pid"; then
    if [ -n "$port" ] && svc_healthy "$port"; then health=ok; fi
    printf '%-8s up    pid %-8s port %-6s health %s\n' "$svc_name" "$pid" "$port" "$health"
    [ "$health" = ok ]
  else
    printf '%-8s down  pid %-8s port %-6s\n' "$svc_name" "${pid:--}" "${port:--}"
    return 1
  fi
}

stack_launch() {
  local state=$1 port=$2 k
  for ((k = 0; k < svc_ports; k++)); do
    if port_open $((port + k)); then
      echo "$svc_name: port $((port + k)) on 127.0.0.1 is taken by another program; choose other ports" >&2
      return 1
    fi
  done
  echo "$port" >"$state/port"
  # In the background, its working folder STATE (what `ours` checks), its
  # output in the log; the subshell execs the server, so $! is its pid.
  (cd "$state" && svc_launch "$state" "$port" </dev/null >"$state/service.log" 2>&1) &
  echo $! >"$state/service.pid"
  local pid=$! tries=$svc_wait
  while ((tries-- > 0)); do
    if svc_healthy "$port"; then
      svc_ready "$state" "$port" && return 0
      stack_stop "$state"
      return 1
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$svc_name did not start; the end of its log ($state/service.log):" >&2
  tail -50 "$state/service.log" >&2
  stack_stop "$state"
  return 1
}

stack_main() {
  local cmd=${1:-} state=${2:-} port=${3:-}
  if [ -z "$state" ]; then
    echo "usage: $0 check|start|up|stop|status STATE_DIR [PORT]" >&2
    exit 2
  fi
  case "$cmd" in
  check)
    stack_mode=up
    local report
    report=$(svc_check)
    [ -z "$report" ] || { echo "$report"; exit 1; }
    ;;
  start | up)
    stack_mode=$cmd
    if [ -z "$port" ]; then
      echo "$0 $cmd: needs a PORT" >&2
      exit 2
    fi
    local lacking
    lacking=$(svc_check)
    if [ -n "$lacking" ]; then
      echo "$lacking" >&2
      exit 1
    fi
    if [ "$cmd" = up ] && stack_status "$state" >/dev/null 2>&1 && [ "$(cat "$state/port")" = "$port" ]; then
      exit 0
    fi
    stack_stop "$state"
    [ "$cmd" = up ] || rm -rf "$state"
    mkdir -p "$state"
    state=$(cd "$state" && pwd -P)
    stack_launch "$state" "$port"
    ;;
  stop) stack_stop "$state" ;;
  status) stack_status "$state" ;;
  *)
    echo "usage: $0 check|start|up|stop|status STATE_DIR [PORT]" >&2
    exit 2
    ;;
  esac
}
