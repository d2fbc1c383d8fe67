#!/usr/bin/env bash
# A self-signed certificate and key for trying the TLS deployment locally (browsers will warn):
#   deploy/make-self-signed-cert.sh [directory] [host name]
# writes <directory>/parley.crt and <directory>/parley.key (default: deploy/tls, localhost), valid for
# a year for the host name, localhost and 127.0.0.1. .env names them (PARLEY_TLS_CERT_FILE, PARLEY_TLS_KEY_FILE).
set -euo pipefail
dir=${1:-deploy/tls}
host=${2:-localhost}
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/parley.key" -out "$dir/parley.crt" 2>/dev/null
chmod 600 "$dir/parley.key"
echo "$dir/parley.crt and $dir/parley.key, for $host"
