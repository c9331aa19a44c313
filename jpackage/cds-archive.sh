#!/bin/sh
# Makes Parley's class data sharing archive, parley.jsa, next to this script (the app's lib/app
# directory), from parley.classlist there: the classes a launch to the start screen loads,
# recorded by jpackage/build.sh. With it the JVM maps those classes ready-made instead of
# loading and verifying each one, so the window opens sooner.
#
#   cds-archive.sh LAUNCHER      e.g. /opt/parley/bin/parley
#
# The archive is only valid for the paths it was made at, so the .deb's postinst runs this where
# the app is installed (jpackage/build.sh runs it on its app image, for bench/run.sh). The
# launcher's own options (jpackage/jvm.options, and -XX:SharedArchiveFile=$APPDIR/parley.jsa)
# apply, so the archive is made with the class path and settings it will be used with. Without
# the archive the app still starts, only without class sharing.
set -e
dir=$(cd "$(dirname "$0")" && pwd)
[ -f "$dir/parley.classlist" ] || exit 0
rm -f "$dir/parley.jsa"
if ! JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$dir/parley.classlist -XX:SharedArchiveFile=$dir/parley.jsa" \
        "$1" --version >"$dir/cds-archive.log" 2>&1; then
    rm -f "$dir/parley.jsa"
    echo "cds-archive.sh: could not make $dir/parley.jsa (see $dir/cds-archive.log)" >&2
    exit 1
fi
rm -f "$dir/cds-archive.log"
