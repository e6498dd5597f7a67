#!/bin/sh
# Writes the application class data archive (AppCDS) of a JVM image: docs/operations.md, "Container images".
#
#   class-archive.sh APP_DIR ROLE ARCHIVE
#
# A training start of the fast-jar in APP_DIR, in ROLE, by the JVM that will run it, with every dependency on a
# loopback port where nothing listens: it loads the classes of Pressroom's start until its first refused connection
# (Kafka's topic check, then PostgreSQL or S3) ends it, and the JVM writes the classes it loaded to ARCHIVE as it exits
# (-XX:ArchiveClassesAtExit). A pod started with -XX:SharedArchiveFile=ARCHIVE maps them instead of loading and
# verifying them again. No secret goes in (the keys are random and thrown away) and nothing leaves the machine (every
# address is 127.0.0.1). The archive fits only this JVM and this APP_DIR at this path, so it is made where it is used:
# in the image, after the application is copied. Last, a JVM that must map the archive (-Xshare:on) runs the jar:
# an archive the JVM would refuse fails here, not silently at every pod's start.
set -eu

if [ "$#" -ne 3 ]; then
  echo "usage: $0 APP_DIR ROLE ARCHIVE" >&2
  exit 2
fi
# by its absolute path: the JVM uses an archive only where the jar is found by the path it was made with (a relative
# one would hold only from the same directory, and a JVM started elsewhere ignores the archive without a word)
app=$(cd "$1" && pwd)
role=$2
archive=$3
nowhere=127.0.0.1:9 # the discard port: nothing listens on it in an image build

random_key() { # 32 random bytes, base64
  head -c 32 /dev/urandom | base64 | tr -d '\n'
}

rm -f "$archive"
# the training's own temporary directory and home, removed after it: nothing it writes (Vert.x's file cache) is left
# behind, owned by the user who built the image
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# env -i: nothing of the building machine's environment (credentials, proxies) reaches the training start;
# its failure is the expected end, so only the archive decides whether the training worked
env -i PATH="$PATH" HOME="$scratch" LANG=C.UTF-8 \
  PRESSROOM_ROLE="$role" QUARKUS_HTTP_PORT=0 QUARKUS_MANAGEMENT_PORT=0 \
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$nowhere/pressroom" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$nowhere/pressroom" \
  QUARKUS_DATASOURCE_USERNAME=training QUARKUS_DATASOURCE_PASSWORD=training \
  KAFKA_BOOTSTRAP_SERVERS="$nowhere" \
  QUARKUS_S3_ENDPOINT_OVERRIDE="http://$nowhere" QUARKUS_S3_AWS_CREDENTIALS_TYPE=static \
  QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID=training \
  QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY=training \
  QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT="http://$nowhere" \
  PRESSROOM_DOWNLOADS_SIGNING_KEY="$(random_key)" PRESSROOM_WEBHOOKS_SECRET_KEY="$(random_key)" \
  timeout 300 java -Djava.io.tmpdir="$scratch" -XX:TieredStopAtLevel=1 -Xlog:cds=off \
  -XX:ArchiveClassesAtExit="$archive" -jar "$app/quarkus-run.jar" >"$scratch/training.log" 2>&1 || true

if [ ! -s "$archive" ] || ! java -Xshare:on -XX:SharedArchiveFile="$archive" -jar "$app/quarkus-run.jar" --version \
  >/dev/null; then
  tail -n 40 "$scratch/training.log" >&2
  echo "$0: no usable class data archive for role $role" >&2
  exit 1
fi
echo "$0: $(du -h "$archive" | cut -f1) class data archive for role $role at $archive"
