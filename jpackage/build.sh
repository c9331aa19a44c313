#!/usr/bin/env bash
# Builds Parley's installer for the current OS: .deb on Debian/Ubuntu (plus .rpm where rpmbuild
# exists), .msi on Windows (WiX on the PATH; run from Git Bash), .dmg on macOS.
#
#   jpackage/build.sh            → target/installer/
#
# Steps: the app jar and its class-path libraries; a jlinked runtime with only the JDK modules
# Parley needs plus JavaFX as real modules (no "unsupported configuration" warning, no native
# library extraction to the home directory); JavaFX's native libraries copied into the runtime;
# then jpackage with the versioned argument files from jpackage/*.args and the JVM options in
# jpackage/jvm.options.
#
# On Linux it also records the classes a launch to the start screen loads (one launch under the
# current display, else under xvfb-run; skipped with a warning when there is neither), ships that
# list, and the .deb's postinst turns it into a class data sharing archive where the app is
# installed (jpackage/cds-archive.sh). It leaves an app image with its own archive in
# target/jpackage/image/parley: what bench/run.sh launches.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"
out=target/installer
work=target/jpackage
rm -rf "$out" "$work/input" "$work/javafx" "$work/runtime" "$work/image"

case "$(uname -s)" in
    Linux*) native='*.so'; native_dir=lib; os=linux; sqlite_os=Linux ;;
    Darwin*) native='*.dylib'; native_dir=lib; os=mac; sqlite_os=Mac ;;
    MINGW*|MSYS*|CYGWIN*) native='*.dll'; native_dir=bin; os=windows; sqlite_os=Windows ;;
    *) echo "Unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
    x86_64|amd64) sqlite_arch=x86_64 ;;
    aarch64|arm64) sqlite_arch=aarch64 ;;
    *) sqlite_arch=$(uname -m) ;;
esac

mvn -q -B -DskipTests package
mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=org.openjfx \
    -DoutputDirectory="$work/input"
mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=org.openjfx \
    -DoutputDirectory="$work/javafx"
cp target/parley-*.jar "$work/input/"
# Desktop integration files and the host's service travel inside the app; postinst puts them in place.
cp jpackage/linux/parley.desktop assets/parley.png "$work/input/"
cp jpackage/linux/parley-host.service jpackage/linux/parley-host.default docs/DEPLOY.md "$work/input/"

# sqlite-jdbc carries its native library for every OS and architecture it supports (21 MB of
# its 12 MB jar, compressed); the package is for this platform only, so keep just this one's.
for jar in "$work"/input/sqlite-jdbc-*.jar; do
    unpacked="$work/sqlite-jdbc"
    rm -rf "$unpacked" && mkdir -p "$unpacked"
    (cd "$unpacked" && "${JDK_BIN}jar" -xf "../../../$jar")
    if [ ! -d "$unpacked/org/sqlite/native/$sqlite_os/$sqlite_arch" ]; then
        echo "$jar has no native library for $sqlite_os/$sqlite_arch" >&2
        exit 1
    fi
    find "$unpacked/org/sqlite/native" -mindepth 2 -maxdepth 2 -type d \
        ! -path "$unpacked/org/sqlite/native/$sqlite_os/$sqlite_arch" -exec rm -rf {} +
    find "$unpacked/org/sqlite/native" -mindepth 1 -maxdepth 1 -type d -empty -delete
    rm "$jar"
    "${JDK_BIN}jar" --create --file "$jar" --manifest "$unpacked/META-INF/MANIFEST.MF" -C "$unpacked" .
    rm -rf "$unpacked"
done

# ICU4J carries data for every locale, calendar, collation, converter and break rule (15 MB of
# its jar, compressed already); Parley only takes confusable skeletons (host/LookAlikes), which
# read these three data files. Keep every class and just them; a newer icu4j that moves or
# renames one fails here rather than in the installed host. Rebuilt with its entries sorted and
# one timestamp, so the same icu4j always gives the same bytes.
icu_data=com/ibm/icu/impl/data/icudata
icu_keep=(confusables.cfu nfc.nrm uprops.icu)
icu_jars=("$work"/input/icu4j-*.jar)
if [ "${#icu_jars[@]}" -ne 1 ] || [ ! -f "${icu_jars[0]}" ]; then
    echo "expected one icu4j jar in $work/input, found: ${icu_jars[*]}" >&2
    exit 1
fi
jar=${icu_jars[0]}
unpacked="$work/icu4j"
rm -rf "$unpacked" && mkdir -p "$unpacked"
(cd "$unpacked" && "${JDK_BIN}jar" -xf "../../../$jar")
for file in "${icu_keep[@]}"; do
    if [ ! -f "$unpacked/$icu_data/$file" ]; then
        echo "$jar has no $icu_data/$file, which LookAlikes needs: update icu_keep in jpackage/build.sh" >&2
        exit 1
    fi
done
mv "$unpacked/$icu_data" "$unpacked/icudata.all" && mkdir "$unpacked/$icu_data"
for file in "${icu_keep[@]}"; do
    mv "$unpacked/icudata.all/$file" "$unpacked/$icu_data/"
done
rm -rf "$unpacked/icudata.all" "$jar"
(cd "$unpacked" && find . -type f ! -path ./META-INF/MANIFEST.MF | sed 's|^\./||' | LC_ALL=C sort >../icu4j.files)
(cd "$unpacked" && "${JDK_BIN}jar" --create --file "../../../$jar" --manifest META-INF/MANIFEST.MF \
    --date=1980-02-01T00:00:00Z @../icu4j.files)
rm -rf "$unpacked" "$work/icu4j.files"

# --compress=0: the package format compresses better than jlink's zip (measured here: the
# .deb went from 45.7 MB with --compress=2 to 30.5 MB; installed size grows to ~97 MiB).
# Native debug symbols out (objcopy, from binutils), where the platform supports it.
strip_native=""
if [ "$(uname -s)" = Linux ] && command -v objcopy >/dev/null; then
    strip_native="--strip-native-debug-symbols=exclude-debuginfo-files"
fi
# java.desktop's AWT, sound and splash-screen libraries: JavaFX renders and decodes images itself.
unused_native=$(printf '**/%s,' libjsound.so libsplashscreen.so libawt_xawt.so libjawt.so libfontmanager.so \
    liblcms.so libmlib_image.so libjavajpeg.so)
unused_native=${unused_native%,}
# Only the platform jars (javafx-*-linux.jar etc.) are real modules; the others are empty stubs.
fx_jars=$(ls "$work"/javafx/javafx-*-*.jar | tr '\n' ':')
# java.desktop, java.xml, jdk.unsupported: JavaFX. java.net.http: ControlsFX. java.logging,
# java.naming, java.management: Netty, OkHttp, SLF4J. java.sql: JDBC (history store) and
# Jackson's optional types. jdk.crypto.ec: TLS with elliptic curves. java.security.jgss: pgjdbc
# (the PostgreSQL store, --store) links Kerberos/GSS classes.
"${JDK_BIN}jlink" \
    --module-path "$fx_jars" \
    --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,javafx.base,javafx.graphics,javafx.controls \
    --strip-debug --no-header-files --no-man-pages \
    --compress=0 \
    $strip_native \
    --exclude-files="$unused_native" \
    --output "$work/runtime"

# JavaFX's native libraries live inside its platform jars; a runtime image needs them on disk.
for jar in "$work"/javafx/javafx-*-*.jar; do
    (cd "$work/runtime/$native_dir" && unzip -q -o -j "../../../../$jar" "$native" 2>/dev/null || true)
done

# Debian's JDK ships libjvm.so with its full symbol table (23 MB), and JavaFX's libraries keep
# theirs; release builds strip them.
if [ "$os" = linux ] && command -v strip >/dev/null; then
    find "$work/runtime" -name '*.so' -exec strip --strip-unneeded {} +
fi

# The JVM options, one a line: the window's in jpackage/jvm.options, the headless host's in
# jpackage/host-jvm.options (bench/run.sh and bin/parley read the same files, the same way).
jvm_options=()
while IFS= read -r option; do
    jvm_options+=("$option")
done < <(sh jpackage/jvm-options.sh jpackage/jvm.options "$os")
host_options=()
while IFS= read -r option; do
    host_options+=("$option")
done < <(sh jpackage/jvm-options.sh jpackage/host-jvm.options "$os")
# An option the runtime does not know would stop the installed app from starting at all.
runtime_accepts() { # FILE OPTION...
    local file=$1
    shift
    if ! "$work/runtime/bin/java" "$@" -version >/dev/null 2>&1; then
        echo "The linked runtime refuses an option in jpackage/$file:" >&2
        "$work/runtime/bin/java" "$@" -version >&2 || true
        exit 1
    fi
}
runtime_accepts jvm.options "${jvm_options[@]}"
runtime_accepts host-jvm.options "${host_options[@]}"
launcher_args=()
for option in "${jvm_options[@]}"; do
    launcher_args+=(--java-options "$option")
done
# parley-host: the same app started headless (app.parley.app.HostLauncher) with the host's options.
# jpackage reads a launcher's java-options as one line split at spaces; none of ours has one.
printf 'main-class=app.parley.app.HostLauncher\njava-options=%s\n' "${host_options[*]}" >"$work/parley-host.properties"
# On Windows a launcher has no console unless asked; a server's output must be seen.
if [ "$os" = windows ]; then echo 'win-console=true' >>"$work/parley-host.properties"; fi
launcher_args+=(--add-launcher "parley-host=$work/parley-host.properties")

# Runs "$@" with a display: the current one, else a private Xvfb; fails when there is neither.
with_display() {
    if [ -n "${DISPLAY:-}" ]; then
        "$@"
    elif command -v xvfb-run >/dev/null 2>&1; then
        xvfb-run -a -s "-screen 0 1280x800x24" "$@"
    else
        return 3
    fi
}

# Class data sharing (Linux): one launch to the first frame of the start screen, on the linked
# runtime with the shipped options, records the classes it loads. The archive made from the
# list must be made where the app lives (it records the paths of the jars), so the list ships
# and postinst makes the archive; the launcher looks for it in its app directory.
if [ "$os" = linux ]; then
    (cd "$work/input" && PARLEY_DATA_DIR="$PWD/../training-data" with_display timeout 120 \
        ../runtime/bin/java "${jvm_options[@]}" \
        -XX:DumpLoadedClassList=parley.classlist -Dparley.quitAfterFirstFrame=true -cp '*' app.parley.app.Launcher) \
        || rm -f "$work/input/parley.classlist"
    rm -rf "$work/training-data"
    if [ -s "$work/input/parley.classlist" ]; then
        cp jpackage/cds-archive.sh "$work/input/"
        launcher_args+=(--java-options '-XX:SharedArchiveFile=$APPDIR/parley.jsa')
    else
        rm -f "$work/input/parley.classlist"
        echo "build.sh: no display and no xvfb-run, so no class list: the package starts without class data sharing" >&2
    fi
fi

mkdir -p "$out"
package() {
    "${JDK_BIN}jpackage" @"$work/common.args" @"$work/$os.args" "${launcher_args[@]}" "$@" \
        --input "$work/input" --runtime-image "$work/runtime" --dest "$out"
}
if [ "$os" = linux ]; then
    # The same app as the package holds, unpacked, with its archive: bench/run.sh launches it.
    "${JDK_BIN}jpackage" --type app-image @"$work/common.args" "${launcher_args[@]}" \
        --input "$work/input" --runtime-image "$work/runtime" --dest "$work/image"
    if [ -f "$work/image/parley/lib/app/cds-archive.sh" ]; then
        sh "$work/image/parley/lib/app/cds-archive.sh" "$work/image/parley/bin/parley"
    fi
fi
if [ "$os" = linux ]; then
    package --type deb
    if command -v rpmbuild >/dev/null; then package --type rpm; fi
else
    package
fi
ls -l "$out"
