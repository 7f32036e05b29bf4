# Shared shell helpers of ./multiaz and scripts/test. Source it; it defines functions only.

MULTIAZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MULTIAZ_PACKAGES=(postgresql-15 postgresql-contrib pgbackrest)

multiaz_say() { printf '==> %s\n' "$*" >&2; }
multiaz_die() { printf 'multiaz: %s\n' "$*" >&2; exit 1; }

# java_major JAVA_BIN: prints the major version of that java, or nothing.
multiaz_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# Sets JAVA_HOME and JAVA to a JDK >= 21: $JAVA_HOME, then java on PATH, then /usr/lib/jvm/*.
multiaz_find_java() {
  local candidates=() c major
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/*; do [[ -d "$c" ]] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [[ -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    major="$(multiaz_java_major "$c/bin/java")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      export JAVA_HOME="$c" JAVA="$c/bin/java"
      # Maven's own Guava calls sun.misc.Unsafe; JDK 23+ warns about it on every build
      if [[ "$major" -ge 23 && "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  multiaz_die "no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless where available, or set JAVA_HOME"
}

# Prints the bin dir of the newest PostgreSQL >= 15 server install, or nothing.
multiaz_pg_bin() {
  local d best="" v
  for d in /usr/lib/postgresql/*/bin; do
    v="$(basename "$(dirname "$d")")"
    [[ "$v" =~ ^[0-9]+$ && "$v" -ge 15 && -x "$d/initdb" && -x "$d/pg_rewind" ]] || continue
    best="$d"
  done
  printf '%s' "$best"
}

# Installs Debian packages given as arguments unless all are installed. Root only; otherwise prints the command.
multiaz_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    multiaz_die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  multiaz_say "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || multiaz_die "apt-get update failed; check the network and the apt sources, then run again"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || multiaz_die "apt-get install ${missing[*]} failed; run it by hand to see why"
}

# What running a cluster needs: PostgreSQL server binaries, util-linux's setsid and runuser, and
# (as root, for the endpoints' kernel data path and the netns topology) nft, conntrack, ip and tc.
multiaz_install_runtime() {
  if [[ -z "$(multiaz_pg_bin)" ]]; then
    multiaz_apt_install "${MULTIAZ_PACKAGES[@]}"
  fi
  [[ -n "$(multiaz_pg_bin)" ]] || multiaz_die "PostgreSQL 15+ server binaries still missing under /usr/lib/postgresql; install postgresql-15"
  command -v setsid >/dev/null && command -v runuser >/dev/null || multiaz_apt_install util-linux
  if [[ $(id -u) -eq 0 ]]; then
    [[ -x /usr/sbin/nft || -x /sbin/nft ]] || multiaz_apt_install nftables
    [[ -x /usr/sbin/conntrack || -x /sbin/conntrack ]] || multiaz_apt_install conntrack
    [[ -x /usr/sbin/ip || -x /sbin/ip || -x /bin/ip ]] && [[ -x /usr/sbin/tc || -x /sbin/tc ]] \
      || multiaz_apt_install iproute2
  fi
}

# Builds target/ with Maven when any source is newer than the last build.
multiaz_build_if_stale() {
  local stamp="$MULTIAZ_ROOT/target/.multiaz-build"
  if [[ -f "$stamp" && -d "$MULTIAZ_ROOT/target/lib" ]] \
     && [[ -z "$(find "$MULTIAZ_ROOT/src/main" "$MULTIAZ_ROOT/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || multiaz_die "Maven (mvn) is needed to build multiaz; install it: apt-get install -y maven"
  multiaz_say "building multiaz (mvn package, first time downloads dependencies)"
  # target/lib is copied afresh: jars of replaced dependency versions must not linger on the classpath
  rm -rf "$MULTIAZ_ROOT/target/lib"
  (cd "$MULTIAZ_ROOT" && mvn -q -B -DskipTests -DskipITs package) \
    || multiaz_die "the build failed (output above); fix it and run again"
  touch "$stamp"
}
