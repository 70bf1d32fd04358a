#!/usr/bin/env bash
# Install cmlkg into ./.venv from nothing. With --test, also what the test suite needs:
# Java (HermiT and the OWL API), Debian's libowlapi-java and chromium, and the test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || {
        $sudo apt-get update -q >/dev/null 2>&1
        $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
    }
}

if [ "$want_test" = 1 ]; then
    missing=()
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
    [ -e /usr/share/java/owlapi-distribution.jar ] || missing+=(libowlapi-java)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "installing Debian packages: ${missing[*]}" >&2
        apt_install "${missing[@]}"
    fi
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want_test" = 1 ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
else
    .venv/bin/python -m pip install -q -e .
fi
echo "cmlkg installed in .venv ($(.venv/bin/cmlkg --version))" >&2
