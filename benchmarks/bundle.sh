#!/usr/bin/env bash
# Makes benchmarks/target/autobahn-bench.tar.xz: what benchmarks/run.sh needs to run the JVM servers
# and the load generator on a machine that has no JDK, Maven or network (benchmarks/QUIET-MACHINE.md):
#
#   autobahn-bench/run.sh        benchmarks/run.sh --bundle <this folder> "$@"
#   autobahn-bench/benchmarks/   run.sh, lib.sh, report.py, QUIET-MACHINE.md, as they are here
#   autobahn-bench/runtime/      a JDK 17 runtime made by jlink (java, jcmd)
#   autobahn-bench/servers/S/    classes/, classpath (jar names in order), main-class: each server
#                                jar exploded (BOOT-INF/classpath.idx, Start-Class)
#   autobahn-bench/lib/          the servers' jars, each once, without other platforms' natives
#   autobahn-bench/loadgen/      loadgen.jar
#   autobahn-bench/BUNDLE-INFO   the commit and JDK it was built from
#
# The outside peers node-ws and autobahn-python are not in it: they need Node, or Python with
# Autobahn and Twisted, installed on the machine. Every jar is stored uncompressed and the whole is
# compressed once by xz (much smaller than jars compressed one by one). Fails above 64 MiB.
#
#   benchmarks/bundle.sh [--no-build] [--jdk DIR (default /usr/lib/jvm/java-17-openjdk-amd64)]
#                        [--threads N (xz, default 2)]
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JDK=/usr/lib/jvm/java-17-openjdk-amd64 BUILD=1 XZ_THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --jdk) JDK="$2"; shift ;;
    --threads) XZ_THREADS="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
NAME=autobahn-bench
STAGE="$HERE/target/bundle"
DEST="$STAGE/$NAME"
TARBALL="$HERE/target/$NAME.tar.xz"
LIMIT_MIB=64
# jlink's modules: Spring Boot, Tomcat (java.security.jgss and .sasl: Tomcat.createDefaultRealm
# fails without them), Jetty, Netty (jdk.unsupported), jcmd for the heap figures, JFR for profiles,
# jdk.httpserver for the servers' allocation counter (run.sh sets bench.alloc-port for every server),
# java.compiler for Spring Data Redis's repository processing (server-tomcat carries Redis for cluster-bench.sh)
MODULES=java.base,java.logging,java.management,java.naming,java.desktop,java.sql,java.xml,java.instrument,\
jdk.unsupported,jdk.management,jdk.jfr,jdk.crypto.ec,jdk.jcmd,jdk.attach,jdk.zipfs,\
java.security.jgss,java.security.sasl,java.rmi,java.management.rmi,java.net.http,jdk.naming.dns,jdk.httpserver,java.compiler
T0=$(date +%s)
step() { echo "[$(($(date +%s) - T0)) s] $*"; }

# other platforms' natives: the servers run on Linux x86-64
foreign() {
  case "$1" in *-osx-*|*-windows-*|*aarch_64*|*aarch64*|*riscv*|*kqueue*|*-ppcle_64*|*-s390_64*) return 0 ;; *) return 1 ;; esac
}

if [ "$BUILD" = 1 ]; then
  step "building (mvn -Pbenchmarks package)"
  # as run.sh does: Spring Boot's repackage keeps an old starter jar in an unchanged server module
  rm -f "$HERE"/server-*/target/server-*.jar
  mkdir -p "$HERE/target"
  (cd "$ROOT" && mvn -B -ntp -q -Pbenchmarks -DskipTests package \
    -pl benchmarks/loadgen,benchmarks/server-tomcat,benchmarks/server-jetty,benchmarks/server-netty -am) > "$HERE/target/bundle-build.log" 2>&1 \
    || { tail -50 "$HERE/target/bundle-build.log"; exit 1; }
fi
for jar in "$HERE/loadgen/target/loadgen.jar" "$HERE"/server-{tomcat,jetty,netty}/target/server-*.jar; do
  [ -f "$jar" ] || { echo "missing $jar (run without --no-build)" >&2; exit 1; }
done

rm -rf "$STAGE"
mkdir -p "$DEST/lib" "$DEST/servers" "$DEST/loadgen" "$DEST/benchmarks"

step "runtime: jlink from $JDK"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --strip-native-debug-symbols=objcopy="$(command -v objcopy)" --output "$DEST/runtime"
strip --strip-unneeded "$DEST/runtime/lib/server/libjvm.so"

step "servers: exploded, their jars into one lib/"
EXPLODE="$STAGE/explode"
for stack in tomcat jetty netty; do
  jar="$HERE/server-$stack/target/server-$stack.jar" dir="$DEST/servers/$stack"
  rm -rf "$EXPLODE"; mkdir -p "$EXPLODE" "$dir"
  unzip -q "$jar" -d "$EXPLODE"
  mv "$EXPLODE/BOOT-INF/classes" "$dir/classes"
  sed -n 's/^Start-Class: *//p' "$EXPLODE/META-INF/MANIFEST.MF" | tr -d '\r' > "$dir/main-class"
  [ -s "$dir/main-class" ] || { echo "$jar has no Start-Class" >&2; exit 1; }
  : > "$dir/classpath"
  while IFS= read -r lib; do
    if foreign "$lib"; then continue; fi
    if [ -f "$DEST/lib/$lib" ]; then
      cmp -s "$EXPLODE/BOOT-INF/lib/$lib" "$DEST/lib/$lib" || { echo "two different $lib" >&2; exit 1; }
    else
      cp "$EXPLODE/BOOT-INF/lib/$lib" "$DEST/lib/"
    fi
    echo "$lib" >> "$dir/classpath"
  done < <(sed -n 's/^- "BOOT-INF\/lib\/\(.*\)"$/\1/p' "$EXPLODE/BOOT-INF/classpath.idx")
  [ -s "$dir/classpath" ] || { echo "$jar has no BOOT-INF/classpath.idx" >&2; exit 1; }
  # every jar of the server is in its class path or left out on purpose
  for lib in "$EXPLODE"/BOOT-INF/lib/*.jar; do
    lib="${lib##*/}"
    foreign "$lib" || grep -qxF "$lib" "$dir/classpath" || { echo "$lib is in $jar but not in its classpath.idx" >&2; exit 1; }
  done
done
rm -rf "$EXPLODE"
cp "$HERE/loadgen/target/loadgen.jar" "$DEST/loadgen/"

step "jars stored uncompressed (xz compresses them together)"
python3 - "$DEST/lib" "$DEST/loadgen" <<'PYEOF'
import os, sys, zipfile
for folder in sys.argv[1:]:
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        tmp = path + ".tmp"
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
            for info in src.infolist():
                data = src.read(info)
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, data)
        os.replace(tmp, path)
PYEOF

step "scripts"
cp "$HERE/run.sh" "$HERE/lib.sh" "$HERE/report.py" "$DEST/benchmarks/"
[ ! -f "$HERE/QUIET-MACHINE.md" ] || cp "$HERE/QUIET-MACHINE.md" "$DEST/benchmarks/"
cat > "$DEST/run.sh" <<'EOF'
#!/usr/bin/env bash
# benchmarks/run.sh on this bundle: its Java runtime, servers and load generator (see QUIET-MACHINE.md)
D="$(cd "$(dirname "$0")" && pwd)"
exec bash "$D/benchmarks/run.sh" --bundle "$D" "$@"
EOF
chmod +x "$DEST/run.sh" "$DEST/benchmarks/run.sh"
{
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  dirty="$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' with uncommitted changes' || true)"
  echo "built $(date -u +%Y-%m-%dT%H:%MZ) from commit $commit$dirty, $("$DEST/runtime/bin/java" -version 2>&1 | head -1)"
  echo "modules: $MODULES"
  echo "left out (other platforms): $(cd "$HERE" && for j in server-*/target/server-*.jar; do unzip -Z1 "$j" 'BOOT-INF/lib/*'; done | sed 's|.*/||' | sort -u | while read -r l; do foreign "$l" && printf '%s ' "$l"; done)"
} > "$DEST/BUNDLE-INFO"

step "tar | xz -9 -T$XZ_THREADS"
tar -C "$STAGE" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$NAME" | xz -9 -T"$XZ_THREADS" > "$TARBALL.tmp"
mv "$TARBALL.tmp" "$TARBALL"
size=$(stat -c %s "$TARBALL")
echo "$TARBALL: $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }') ($(du -sh "$DEST" | cut -f1) unpacked: runtime $(du -sh "$DEST/runtime" | cut -f1), lib $(du -sh "$DEST/lib" | cut -f1) in $(ls "$DEST/lib" | wc -l) jars), $(($(date +%s) - T0)) s"
if [ "$size" -gt $((LIMIT_MIB * 1024 * 1024)) ]; then
  echo "the bundle is over $LIMIT_MIB MiB" >&2
  exit 1
fi
