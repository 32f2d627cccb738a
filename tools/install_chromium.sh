#!/bin/sh
# Installs Debian's `chromium` package, which tests/test_site_browser.py drives
# headless (through playwright's `executable_path`; no browser is downloaded at
# run time). Idempotent: does nothing when `chromium` is already on PATH.
# Never fails the set-up: when it cannot install, it says so in one line and
# exits 0, and the browser test then fails with a message pointing here.
set -u

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install_chromium.sh: chromium not installed (not root and no sudo); run as root: apt-get install -y --no-install-recommends chromium"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium.sh: chromium not installed (no apt-get here); install Debian's chromium package to run tests/test_site_browser.py"
    exit 0
fi

if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
   && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null \
   && command -v chromium >/dev/null 2>&1; then
    echo "install_chromium.sh: installed $(chromium --version 2>/dev/null)"
else
    echo "install_chromium.sh: could not install Debian's chromium (apt-get failed); tests/test_site_browser.py will fail until it is installed"
fi
exit 0
