#!/usr/bin/env bash
# Installs the Debian 12 packages fsql builds and tests with. Safe to run again.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config git \
  antlr4 libantlr4-runtime-dev default-jre-headless \
  llvm-16-dev \
  librdkafka-dev libsimdjson-dev libfmt-dev libspdlog-dev \
  libpcre2-dev libabsl-dev libssl-dev \
  googletest libgtest-dev libbenchmark-dev \
  kcat tmux libedit-dev >/dev/null
