#!/usr/bin/env bash
# Install what the deployment tests (tests/deployment/) need from Debian's packages: HAProxy (the
# reverse proxy of deploy/haproxy.cfg) and openssl (a self-signed certificate made at test time).
# Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v openssl >/dev/null 2>&1 || need+=(openssl)

if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "proxy_deps: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The service Debian's package starts is not used: the tests run their own HAProxy.
haproxy -v | head -n 1
