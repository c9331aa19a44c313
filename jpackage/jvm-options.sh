#!/bin/sh
# Prints the JVM options in one of Parley's option files (jpackage/jvm.options for the window,
# jpackage/host-jvm.options for parley-host), one a line, as OS gets them: comments and blank
# lines dropped, "OS: " taken off this OS's lines and other OSes' lines left out.
#
#   jpackage/jvm-options.sh FILE OS      OS: linux, mac or windows
#
# jpackage/build.sh, bench/run.sh and bin/parley read the files through this script.
set -e
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
    -e "s/^$2:[[:space:]]*//" -e '/^[a-z]*:/d' "$1"
