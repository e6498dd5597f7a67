#!/usr/bin/env bash
# Runs Pressroom on this machine with everything it needs: PostgreSQL, Kafka and S3 (s3proxy) from the same code the
# tests use (io.pressroom.testing.stack.LocalStack), their data under $PRESSROOM_DATA_DIR so it survives restarts.
# Prints one line, `export PRESSROOM_API=… PRESSROOM_TOKEN=… PRESSROOM_MANAGEMENT=…`, once Pressroom is ready (the
# management URL serves /q/health and /q/metrics; Swagger UI is on, at $PRESSROOM_API/q/swagger-ui); Ctrl-C stops
# everything.
#
# Environment: PRESSROOM_DATA_DIR (default <repo>/.pressroom), PRESSROOM_HTTP_PORT (8080), PRESSROOM_MANAGEMENT_PORT
# (9000: health and metrics), and for the stack
# PRESSROOM_PG_PORT (55432), PRESSROOM_KAFKA_PORT (59092, the controller takes the next one), PRESSROOM_S3_PORT (59000).
# PRESSROOM_WEBHOOKS_ALLOW (127.0.0.0/8,::1: webhook receivers on this machine are allowed; docs/webhooks.md).
set -euo pipefail

cd "$(dirname "$0")/../.."
REPO=$(pwd)
. deploy/local/common.sh

STACK_START_TIMEOUT=120
APP_START_TIMEOUT=180

ensure_prerequisites

DATA_DIR=${PRESSROOM_DATA_DIR:-$REPO/.pressroom}
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
HTTP_PORT=${PRESSROOM_HTTP_PORT:-8080}
MANAGEMENT_PORT=${PRESSROOM_MANAGEMENT_PORT:-9000}

# --- build, only when a source or the pom changed since the last build (warm starts skip Maven entirely) ---
APP_JAR=target/quarkus-app/quarkus-run.jar
CLASSPATH_FILE=target/infra/test-classpath.txt
outdated() {
  [ ! -e "$1" ] || [ -n "$(find src pom.xml -newer "$1" -print -quit)" ]
}
if outdated "$APP_JAR" || outdated "$CLASSPATH_FILE" || [ ! -f target/infra/s3proxy.jar ]; then
  log "Building Pressroom"
  # package compiles the test classes too (the stack lives there) and copies s3proxy.jar to target/infra;
  # regenerateFile: rewrite the class path file even when unchanged, so its date says it is current
  ./mvnw -B -q package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$REPO/$CLASSPATH_FILE" -Dmdep.regenerateFile=true
fi

# --- credentials, made once and kept with the data ---
random_secret() { # 32 random bytes, URL-safe base64 without padding: 43 characters
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}
create_once() { # file prefix
  if [ ! -s "$1" ]; then
    (umask 077 && printf '%s%s\n' "$2" "$(random_secret)" >"$1.tmp" && mv "$1.tmp" "$1")
  fi
  chmod 600 "$1"
}
create_once "$DATA_DIR/admin-key" pra_
create_once "$DATA_DIR/local-token" prk_
create_once "$DATA_DIR/signing-key" sig_ # signs download links: kept, so links survive a restart
if [ ! -s "$DATA_DIR/webhook-secret-key" ]; then # encrypts webhook secrets: kept, or stored ones become unreadable
  (umask 077 && head -c 32 /dev/urandom | base64 >"$DATA_DIR/webhook-secret-key.tmp" &&
    mv "$DATA_DIR/webhook-secret-key.tmp" "$DATA_DIR/webhook-secret-key")
fi
chmod 600 "$DATA_DIR/webhook-secret-key"
TOKEN=$(cat "$DATA_DIR/local-token")

# --- stop whatever we started, Pressroom first, whichever way this script ends ---
STACK_PID=
APP_PID=
# shellcheck disable=SC2317 # only reached through the traps
stop_all() {
  trap - EXIT
  trap '' INT TERM # a second Ctrl-C must not cut the clean-up short
  local pid
  for pid in $APP_PID $STACK_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      # TERM, not INT: background processes of a script ignore SIGINT
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL, Kafka, S3 ---
ENV_FILE=$DATA_DIR/stack.env
STACK_LOG=$DATA_DIR/stack.log
rm -f "$ENV_FILE" # a stale one from a crash must not pass for a running stack
log "Starting PostgreSQL, Kafka and S3 (data in $DATA_DIR, log in $STACK_LOG)"
PRESSROOM_DATA_DIR=$DATA_DIR java -Xmx512m -XX:+UseSerialGC -Ds3proxy.jar="$REPO/target/infra/s3proxy.jar" \
  -cp "target/test-classes:$(cat "$CLASSPATH_FILE")" io.pressroom.testing.stack.LocalStack >"$STACK_LOG" 2>&1 &
STACK_PID=$!
deadline=$((SECONDS + STACK_START_TIMEOUT))
until [ -f "$ENV_FILE" ]; do
  if ! kill -0 "$STACK_PID" 2>/dev/null; then
    tail -n 40 "$STACK_LOG" >&2
    fail "the stack (PostgreSQL, Kafka, S3) stopped while starting; full log: $STACK_LOG"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 40 "$STACK_LOG" >&2
    fail "the stack (PostgreSQL, Kafka, S3) was not up after ${STACK_START_TIMEOUT} s; full log: $STACK_LOG"
  fi
  sleep 0.2
done
# shellcheck source=/dev/null
. "$ENV_FILE"

# --- Pressroom ---
log "Starting Pressroom on port $HTTP_PORT (management: $MANAGEMENT_PORT)"
PRESSROOM_ROLE=all QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT QUARKUS_SWAGGER_UI_ENABLED=true \
  PRESSROOM_ADMIN_KEY=$(cat "$DATA_DIR/admin-key") PRESSROOM_BOOTSTRAP_PROJECT_KEY=$TOKEN \
  PRESSROOM_DOWNLOADS_SIGNING_KEY=$(cat "$DATA_DIR/signing-key") \
  PRESSROOM_WEBHOOKS_SECRET_KEY=$(cat "$DATA_DIR/webhook-secret-key") \
  PRESSROOM_WEBHOOKS_ALLOW=${PRESSROOM_WEBHOOKS_ALLOW:-127.0.0.0/8,::1} \
  java -XX:TieredStopAtLevel=1 -jar "$APP_JAR" & # C1 only, as the images (docs/performance.md, "JIT settings")
APP_PID=$!

deadline=$((SECONDS + APP_START_TIMEOUT))
until [ "$(http_status "$MANAGEMENT_PORT" /q/health/ready)" = 200 ]; do
  kill -0 "$APP_PID" 2>/dev/null || fail "Pressroom stopped while starting"
  ((SECONDS < deadline)) || fail "Pressroom was not ready after ${APP_START_TIMEOUT} s"
  sleep 0.5
done

log "Health and metrics: http://localhost:$MANAGEMENT_PORT/q/health, http://localhost:$MANAGEMENT_PORT/q/metrics; Swagger UI: http://localhost:$HTTP_PORT/q/swagger-ui"
echo "export PRESSROOM_API=http://localhost:$HTTP_PORT PRESSROOM_TOKEN=$TOKEN PRESSROOM_MANAGEMENT=http://localhost:$MANAGEMENT_PORT"

# Runs until Ctrl-C / SIGTERM (the traps) or until Pressroom or the stack ends on its own.
status=0
wait -n "$APP_PID" "$STACK_PID" || status=$?
kill -0 "$APP_PID" 2>/dev/null || log "Pressroom exited (status $status)"
kill -0 "$STACK_PID" 2>/dev/null || log "the stack exited (status $status); log: $STACK_LOG"
exit "$status"
