#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MinIO on 127.0.0.1:PORT (its console on PORT+1), its data in
# STATE_DIR/data, and the bucket "lake" created. The binary: LAKEORM_TOOLS's
# .cache/bin/minio (scripts/setup builds it), else minio on PATH.
# Usage and verbs: common.sh.
svc_name=minio svc_wait=100 svc_ports=2
. "$(dirname "$0")/common.sh"

minio_bin() {
  if [ -n "$tools" ]; then echo "$tools/.cache/bin/minio"; else command -v minio || true; fi
}

svc_check() {
  local bin
  bin=$(minio_bin)
  [ -n "$bin" ] && [ -x "$bin" ] || missing "the minio server${bin:+ at $bin}" "$setup_hint"
  command -v curl >/dev/null || missing "curl on PATH" "apt-get install curl"
}

svc_launch() {
  mkdir -p "$1/data"
  MINIO_ROOT_USER=$LAKE_STACK_S3_USER MINIO_ROOT_PASSWORD=$LAKE_STACK_S3_SECRET MINIO_BROWSER=off \
    exec "$(minio_bin)" server "$1/data" --address "127.0.0.1:$2" --console-address "127.0.0.1:$(($2 + 1))"
}

svc_healthy() { curl -sf "http://127.0.0.1:$1/minio/health/live" >/dev/null; }

# The bucket every test and profile uses, with curl's own SigV4; the user and
# secret reach curl on its standard input, not its command line. A bucket
# that exists already (an `up` over kept data) answers 409: fine.
svc_ready() {
  local code
  code=$(printf 'user = "%s:%s"\n' "$LAKE_STACK_S3_USER" "$LAKE_STACK_S3_SECRET" |
    curl -s -o /dev/null -w '%{http_code}' -K - --aws-sigv4 "aws:amz:us-east-1:s3" \
      -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X PUT "http://127.0.0.1:$2/lake")
  case "$code" in
  200 | 409) ;;
  *)
    echo "minio: creating the bucket lake answered HTTP $code" >&2
    return 1
    ;;
  esac
}

stack_main "$@"
