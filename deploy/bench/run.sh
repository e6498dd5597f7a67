#!/usr/bin/env bash
# Pressroom's benchmark in one command (docs/performance.md): bare Chromium, the renderer alone and the whole
# system at 1, 2 and 4 clients on ../shared/bench/invoice.html and report.html; prints a table and writes
# target/bench/result-<time>.json. It starts its own PostgreSQL, Kafka, S3 and Pressroom and stops them again.
#
# Options (see io.pressroom.bench.Options): --tiny (CI: a few jobs, 1 and 2 clients, the invoice), --scenarios
# bare,renderer,system, --docs invoice,report, --clients 1,2,4, --jobs N or --seconds S, --warmup N, --docs-dir DIR,
# --s3-tls (S3 over HTTPS, as S3 itself is reached).
# Environment: PRESSROOM_BENCH_DOCS (the documents' directory), PRESSROOM_CHROMIUM_EXECUTABLE_PATH.
# Exits non-zero when a job of any scenario failed (never because it was slow).
set -euo pipefail

cd "$(dirname "$0")/../.."
REPO=$(pwd)
. deploy/local/common.sh

ensure_prerequisites

APP_JAR=target/quarkus-app/quarkus-run.jar
CLASSPATH_FILE=target/infra/test-classpath.txt
outdated() {
  [ ! -e "$1" ] || [ -n "$(find src pom.xml -newer "$1" -print -quit)" ]
}
if outdated "$APP_JAR" || [ ! -f target/infra/s3proxy.jar ]; then
  log "Building Pressroom"
  # as deploy/local/run.sh: package compiles the test classes too (the benchmark and the stack live there)
  ./mvnw -B -q package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$REPO/$CLASSPATH_FILE" -Dmdep.regenerateFile=true
elif outdated "$CLASSPATH_FILE"; then
  # built already (e.g. by the tests in CI): only the class path file is missing
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$REPO/$CLASSPATH_FILE" \
    -Dmdep.regenerateFile=true
fi

exec java -Xmx512m -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Ds3proxy.jar="$REPO/target/infra/s3proxy.jar" \
  -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" io.pressroom.bench.Benchmark "$@"
