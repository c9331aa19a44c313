#!/usr/bin/env bash
# Builds Parley's installer for the current OS: .deb on Debian/Ubuntu (plus .rpm where rpmbuild
# exists), .msi on Windows (WiX on the PATH; run from Git Bash), .dmg on macOS.
#
#   jpackage/build.sh            → target/installer/
#
# Steps: the app jar and its class-path libraries; a jlinked runtime with only the JDK modules
# Parley needs plus JavaFX as real modules (no "unsupported configuration" warning, no native
# library extraction to the home directory); JavaFX's native libraries copied into the runtime;
# then jpackage with the versioned argument files from jpackage/*.args.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"
out=target/installer
work=target/jpackage
rm -rf "$out" "$work/input" "$work/javafx" "$work/runtime"

mvn -q -B -DskipTests package
mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=org.openjfx \
    -DoutputDirectory="$work/input"
mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=org.openjfx \
    -DoutputDirectory="$work/javafx"
cp target/parley-*.jar "$work/input/"
# Desktop integration files travel inside the app; postinst puts them in place.
cp jpackage/linux/parley.desktop assets/parley.png "$work/input/"

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
# Jackson's optional types. jdk.crypto.ec: TLS with elliptic curves.
"${JDK_BIN}jlink" \
    --module-path "$fx_jars" \
    --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,javafx.base,javafx.graphics,javafx.controls \
    --strip-debug --no-header-files --no-man-pages \
    --compress=0 \
    $strip_native \
    --exclude-files="$unused_native" \
    --output "$work/runtime"

case "$(uname -s)" in
    Linux*) native='*.so'; native_dir=lib; os=linux ;;
    Darwin*) native='*.dylib'; native_dir=lib; os=mac ;;
    MINGW*|MSYS*|CYGWIN*) native='*.dll'; native_dir=bin; os=windows ;;
    *) echo "Unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
# JavaFX's native libraries live inside its platform jars; a runtime image needs them on disk.
for jar in "$work"/javafx/javafx-*-*.jar; do
    (cd "$work/runtime/$native_dir" && unzip -q -o -j "../../../../$jar" "$native" 2>/dev/null || true)
done

# Debian's JDK ships libjvm.so with its full symbol table (23 MB), and JavaFX's libraries keep
# theirs; release builds strip them.
if [ "$os" = linux ] && command -v strip >/dev/null; then
    find "$work/runtime" -name '*.so' -exec strip --strip-unneeded {} +
fi

mkdir -p "$out"
package() {
    "${JDK_BIN}jpackage" @"$work/common.args" @"$work/$os.args" "$@" \
        --input "$work/input" --runtime-image "$work/runtime" --dest "$out"
}
if [ "$os" = linux ]; then
    package --type deb
    if command -v rpmbuild >/dev/null; then package --type rpm; fi
else
    package
fi
ls -l "$out"
