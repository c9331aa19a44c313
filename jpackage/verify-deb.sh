#!/usr/bin/env bash
# Proves the .deb works as installed (run as root; CI does): build it, install it for real,
# check that postinst made the class data sharing archive and the launcher uses it, run the
# installed command's self-check (hosts on a free loopback port, keeping its history in SQLite
# through the package's trimmed sqlite-jdbc, joins itself twice, exchanges a direct message,
# exits 0), check the menu entry and icon, start the headless host `parley-host` and shake hands
# with it with the options of /etc/default/parley-host (the service's), check the systemd unit and
# that the cluster adapter (Lettuce) runs in the trimmed runtime, then purge it and check nothing
# is left behind.
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

# The headless host: its own launcher with a server's JVM options (jpackage/host-jvm.options), the
# window's launcher with the window's. Started on a free loopback port, it must answer an Engine.IO
# handshake, then stop on SIGTERM.
test -x /usr/bin/parley-host
grep -q -- '-XX:+UseSerialGC' /opt/parley/lib/app/parley-host.cfg
grep -q -- '-XX:+UseG1GC' /opt/parley/lib/app/parley.cfg
# The service: its unit (disabled until enabled), its options file (root's alone), which the
# host below starts with, as the unit does (a later --port wins).
test -f /lib/systemd/system/parley-host.service
test "$(stat -c %a /etc/default/parley-host)" = 600
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /lib/systemd/system/parley-host.service
fi
# shellcheck disable=SC1091
PARLEY_HOST_OPTIONS=$(. /etc/default/parley-host && echo "$PARLEY_HOST_OPTIONS")
host_log=target/installer/parley-host.log
# shellcheck disable=SC2086
PARLEY_DATA_DIR=$(mktemp -d) parley-host $PARLEY_HOST_OPTIONS --port 0 --bind 127.0.0.1 >"$host_log" 2>&1 &
host_pid=$!
trap 'kill "$host_pid" 2>/dev/null || true; dpkg -P parley >/dev/null 2>&1 || true' EXIT
port=""
for _ in $(seq 1 150); do
    port=$(sed -n 's/^Parley host listening on .*:\([0-9][0-9]*\)$/\1/p' "$host_log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.2
done
if [ -z "$port" ]; then
    echo "parley-host did not start listening within 30 s:" >&2
    cat "$host_log" >&2
    exit 1
fi
handshake=$(timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
    cat <&3' _ "$port" || true)
if ! grep -q '0{"sid":"' <<<"$handshake"; then
    echo "parley-host on port $port did not answer an Engine.IO handshake; it answered:" >&2
    echo "$handshake" >&2
    exit 1
fi
# The browser client comes out of the installed jar: the socket.io bundle the build copied in.
bundle=$(timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf "GET /vendor/socket.io.min.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
    head -c 2048 <&3' _ "$port" || true)
if ! grep -q 'Socket.IO v4.8' <<<"$bundle"; then
    echo "parley-host on port $port did not serve the web client's socket.io bundle; it answered:" >&2
    echo "$bundle" | head -n 20 >&2
    exit 1
fi
kill -TERM "$host_pid"
(sleep 15; kill -KILL "$host_pid" 2>/dev/null) &
watchdog=$!
stopped=0
wait "$host_pid" || stopped=$?
kill "$watchdog" 2>/dev/null || true
if [ "$stopped" -eq 137 ]; then
    echo "parley-host did not stop within 15 s of SIGTERM" >&2
    exit 1
fi
echo "parley-host: listened on 127.0.0.1:$port, answered a handshake, served the web client, stopped on SIGTERM."

# The cluster adapter in the installed runtime: --check-cluster reaches a real Redis (Lettuce and
# its Netty on the trimmed JDK) and says the missing PostgreSQL is missing.
if command -v redis-server >/dev/null; then
    redis_port=$(( 20000 + RANDOM % 20000 ))
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --pidfile "/tmp/parley-verify-redis.pid" --logfile "/tmp/parley-verify-redis.log"
    check_log=target/installer/check-cluster.log
    set +e
    timeout 60 parley-host --check-cluster --store 'postgresql://127.0.0.1:1/parley?user=parley' \
        --cluster "redis://127.0.0.1:$redis_port" >"$check_log" 2>&1
    check_exit=$?
    set -e
    kill "$(cat /tmp/parley-verify-redis.pid)" 2>/dev/null || true
    if [ "$check_exit" -ne 1 ] || ! grep -q '^Redis       ok    redis://127.0.0.1' "$check_log" \
            || ! grep -q '^PostgreSQL  FAIL' "$check_log"; then
        echo "parley-host --check-cluster did not report Redis ok and PostgreSQL failing (exit $check_exit):" >&2
        cat "$check_log" >&2
        exit 1
    fi
    echo "parley-host --check-cluster: reached Redis on port $redis_port from the installed runtime."
fi

dpkg -P parley >/dev/null
trap - EXIT
for leftover in /usr/bin/parley /usr/bin/parley-host /opt/parley /usr/share/applications/parley.desktop \
        /usr/share/icons/hicolor/512x512/apps/parley.png /lib/systemd/system/parley-host.service \
        /etc/default/parley-host; do
    if [ -e "$leftover" ]; then
        echo "Left behind after purge: $leftover" >&2
        exit 1
    fi
done
echo "Installer verified: installs, self-checks, purges cleanly."
