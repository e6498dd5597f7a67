# shellcheck shell=bash
# Shared by test.sh and run.sh (sourced, not run): checks and installs what a fresh Debian 12 machine lacks.

log() {
  echo "[pressroom] $*" >&2
}

fail() {
  log "ERROR: $*"
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "need root or sudo to run: $*"
  fi
}

# Java 17+ builds and runs everything (./mvnw fetches Maven itself); Chromium renders the PDFs. Pressroom's default
# Chromium is Debian's; PRESSROOM_CHROMIUM_EXECUTABLE_PATH (Pressroom's own setting) points elsewhere.
ensure_prerequisites() {
  command -v java >/dev/null 2>&1 || fail "java not found: install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)"
  local chromium=${PRESSROOM_CHROMIUM_EXECUTABLE_PATH:-/usr/lib/chromium/chromium}
  if [ ! -x "$chromium" ]; then
    command -v apt-get >/dev/null 2>&1 || fail "Chromium is missing at $chromium and there is no apt-get to install it"
    log "Installing Chromium and fonts (once, about a minute)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-core fonts-liberation
    [ -x "$chromium" ] || fail "Chromium was installed but $chromium is still missing"
  fi
}

# Status code of GET http://127.0.0.1:$1$2 (port, path), empty when nothing answers (bash's /dev/tcp: no curl needed).
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3 && printf '%s' "$status"
  ) 2>/dev/null || true
}
