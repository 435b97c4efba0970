#!/usr/bin/env bash
# Install the .deb on a system older than any 信创 desktop it is meant for — Ubuntu 18.04 with
# glibc 2.27 (统信 UOS 20 has 2.28, 麒麟 Kylin V10 2.31) — in a chroot, run the installed
# self-test there offscreen and, when Xvfb is here, open the window on a real X server (Qt's
# xcb platform with the old system's X and GL libraries), then remove the package.
#   bash packaging/check-linux-old.sh dist/kaoping_<version>_amd64.deb      (as root)
# The chroot is kept in build/linux/bionic (git-ignored), so a second run needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=$(realpath "$1")
ROOTFS=$(pwd)/build/linux/bionic
CACHE=$(pwd)/packaging/cache
KEYRING_DEB=ubuntu-keyring_2018.02.28_all.deb  # Ubuntu's archive key, pinned by sha256
KEYRING_SHA256=c0763889cec4196839354d99b71f3c369dfa51ff17f59cabea87d1c7d55fe5e0
MIRROR=http://archive.ubuntu.com/ubuntu
[ "$(id -u)" = 0 ] || { echo "需要 root（debootstrap 与 chroot）" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

if [ ! -x "$ROOTFS/usr/bin/dpkg" ]; then
    mkdir -p "$CACHE"
    [ -f "$CACHE/$KEYRING_DEB" ] \
        || curl -fsS -o "$CACHE/$KEYRING_DEB" "$MIRROR/pool/main/u/ubuntu-keyring/$KEYRING_DEB"
    echo "$KEYRING_SHA256  $CACHE/$KEYRING_DEB" | sha256sum -c --quiet -
    KEYS=$(mktemp -d)
    dpkg-deb -x "$CACHE/$KEYRING_DEB" "$KEYS"
    rm -rf "$ROOTFS"
    # The libraries the package depends on, as a desktop has them.
    debootstrap --keyring "$KEYS/usr/share/keyrings/ubuntu-archive-keyring.gpg" \
        --variant=minbase --components=main,universe \
        --include=libgl1,libegl1,libfontconfig1,libfreetype6,libxkbcommon0,libxkbcommon-x11-0,libdbus-1-3,libx11-xcb1,libxcb-icccm4,libxcb-keysyms1,libxcb-image0,libxcb-render-util0,libxcb-shape0,libxcb-randr0,libxcb-xkb1 \
        bionic "$ROOTFS" "$MIRROR" >/dev/null
    rm -rf "$KEYS"
fi

XVFB_PID=""
cleanup() {  # never leave the host's /dev or /proc bound into a folder someone may delete
    for mounted in tmp/.X11-unix dev proc; do
        mountpoint -q "$ROOTFS/$mounted" && umount "$ROOTFS/$mounted"
    done
    [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
}
trap cleanup EXIT
mount -t proc proc "$ROOTFS/proc"
mount --bind /dev "$ROOTFS/dev"
echo "系统：$(chroot "$ROOTFS" sh -c '. /etc/os-release; echo $PRETTY_NAME'), $(chroot "$ROOTFS" getconf GNU_LIBC_VERSION)"

cp "$DEB" "$ROOTFS/tmp/kaoping.deb"
chroot "$ROOTFS" dpkg -i /tmp/kaoping.deb >/dev/null
rm -rf "$ROOTFS/tmp/home" "$ROOTFS/tmp/selftest" && mkdir -p "$ROOTFS/tmp/home"
chroot "$ROOTFS" env -i HOME=/tmp/home PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    kaoping --self-test /tmp/selftest 2>&1 | grep -v "does not support"

if command -v Xvfb >/dev/null; then
    DISPLAY_NUMBER=87
    Xvfb ":$DISPLAY_NUMBER" -screen 0 1366x768x24 >/dev/null 2>&1 &
    XVFB_PID=$!
    sleep 1
    mkdir -p "$ROOTFS/tmp/.X11-unix"
    mount --bind /tmp/.X11-unix "$ROOTFS/tmp/.X11-unix"
    chroot "$ROOTFS" env -i HOME=/tmp/home PATH=/usr/bin:/bin QT_QPA_PLATFORM=xcb \
        DISPLAY=":$DISPLAY_NUMBER" /opt/kaoping/kaopingw --db /tmp/selftest/selftest.db \
        --screenshot /tmp/selftest/xcb.png --page results
    [ -s "$ROOTFS/tmp/selftest/xcb.png" ] || { echo "X 窗口截图失败" >&2; exit 1; }
    cp "$ROOTFS/tmp/selftest/xcb.png" build/linux/old-system-window.png
    echo "X 窗口（xcb）：已打开，截图 build/linux/old-system-window.png"
fi

chroot "$ROOTFS" dpkg -r kaoping >/dev/null
[ ! -e "$ROOTFS/opt/kaoping" ] || { echo "卸载后 /opt/kaoping 仍在" >&2; exit 1; }
echo "旧系统上安装、自检、卸载：通过"
