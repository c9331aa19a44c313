#!/usr/bin/env bash
# Proves the .deb works as installed (run as root; CI does): build it, install it for real,
# check that postinst made the class data sharing archive and the launcher uses it, run the
# installed command's self-check (hosts on a free loopback port, keeping its history in SQLite
# through the package's trimmed sqlite-jdbc, joins itself twice, exchanges a direct message,
# exits 0), check the menu entry and icon, then purge it and check nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

jpackage/build.sh
deb=$(ls target/installer/parley_*.deb)
echo "Installer: $deb ($(du -h "$deb" | cut -f1))"

apt-get install -y -qq "./$deb" >/dev/null
trap 'dpkg -P parley >/dev/null 2>&1 || true' EXIT
echo "Installed size: $(dpkg-query -W -f='${Installed-Size}' parley) KiB"

test -x /usr/bin/parley
# The command and the menu entry start the app with GDK_GL=disable (see app.parley.app.Renderer).
grep -q '^export GDK_GL=' /usr/bin/parley
grep -q '^Exec=env GDK_GL=disable /opt/parley/bin/parley ' /usr/share/applications/parley.desktop
test -f /usr/share/applications/parley.desktop
test -f /usr/share/icons/hicolor/512x512/apps/parley.png
parley --version
# postinst made the class data sharing archive, and the installed launcher maps it: with
# -Xshare:on the JVM refuses to start rather than run without it.
test -f /opt/parley/lib/app/parley.jsa
JAVA_TOOL_OPTIONS=-Xshare:on parley --version 2>&1 | grep -v '^Picked up JAVA_TOOL_OPTIONS'
# Under a timeout: a self-check that hangs is a failure too.
timeout 60 parley --self-check 2>&1 | tee target/installer/self-check.log
if grep -q "Unsupported JavaFX configuration" target/installer/self-check.log; then
    echo "The installed app loaded JavaFX from the class path" >&2
    exit 1
fi

dpkg -P parley >/dev/null
trap - EXIT
for leftover in /usr/bin/parley /opt/parley /usr/share/applications/parley.desktop \
        /usr/share/icons/hicolor/512x512/apps/parley.png; do
    if [ -e "$leftover" ]; then
        echo "Left behind after purge: $leftover" >&2
        exit 1
    fi
done
echo "Installer verified: installs, self-checks, purges cleanly."
