#!/usr/bin/env bash
# Builds Pressroom and runs every test against real PostgreSQL, Kafka, S3 (s3proxy) and Chromium, all started by
# the tests themselves (no Docker). Extra arguments go to Maven, e.g. deploy/local/test.sh -Dtest=StackSmokeTest
set -euo pipefail

cd "$(dirname "$0")/../.."
. deploy/local/common.sh

ensure_prerequisites
exec ./mvnw -B verify "$@"
