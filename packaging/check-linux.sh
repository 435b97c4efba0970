#!/usr/bin/env bash
# Install a built .deb on this machine (its dependencies from the distribution), run the
# installed program's self-test in a clean home, remove it and check nothing is left.
#   bash packaging/check-linux.sh dist/kaoping_<version>_amd64.deb
set -euo pipefail
DEB=$(realpath "$1")
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$DEB" >/dev/null
[ -x /usr/bin/kaoping ] && [ -f /usr/share/applications/kaoping.desktop ] || {
    echo "安装后缺少 kaoping 命令或 .desktop 项" >&2; exit 1; }
home=$(mktemp -d)
env -i HOME="$home" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen kaoping --self-test
[ ! -e "$home/.local/share/kaoping/kaoping.db" ] || { echo "自检不应写入用户数据" >&2; exit 1; }
apt-get remove -y -qq kaoping >/dev/null
for left in /opt/kaoping /usr/bin/kaoping /usr/share/applications/kaoping.desktop; do
    [ ! -e "$left" ] || { echo "卸载后仍有 $left" >&2; exit 1; }
done
echo "安装、自检、卸载：通过"
