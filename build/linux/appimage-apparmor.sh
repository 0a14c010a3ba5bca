#!/bin/sh
# Ubuntu 23.10 and later (and other distributions that set kernel.apparmor_restrict_unprivileged_userns=1) deny
# unprivileged user namespaces unless an AppArmor profile allows them. Chromium's sandbox needs one, so the
# AppImage aborts at start ("No usable sandbox"). The deb installs a profile for /opt/TIM Group Backup itself; an
# AppImage has no install step, so this script writes one for the AppImage file where you keep it. It never
# turns the sandbox off (--no-sandbox would).
#
#   appimage-apparmor.sh --check            does this system restrict user namespaces?
#   appimage-apparmor.sh --print  FILE      the profile for FILE (an absolute path), on stdout
#   sudo appimage-apparmor.sh --install FILE   write it to /etc/apparmor.d/ and load it
set -eu

NAME=tim-group-backup-appimage

restricted() {
  [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null || echo 0)" = 1 ]
}

profile() {
  case "$1" in
    /*) ;;
    *) echo "The AppImage must be given by its absolute path, e.g. \$HOME/Applications/TIM-Group-Backup.AppImage" >&2; exit 2 ;;
  esac
  case "$1" in
    *'"'*|*'
'*) echo "That path cannot be written into an AppArmor profile." >&2; exit 2 ;;
  esac
  cat <<PROFILE
# Written by appimage-apparmor.sh: lets the TIM Group Backup AppImage create the user namespace Chromium's
# sandbox needs. Remove this file (and run "sudo apparmor_parser -R" on it first) to undo.
abi <abi/4.0>,
include <tunables/global>

profile $NAME "$1" flags=(unconfined) {
  userns,

  include if exists <local/$NAME>
}
PROFILE
}

case "${1:-}" in
  --check)
    if restricted; then
      echo "User namespaces are restricted by AppArmor here: the AppImage needs a profile (sudo $0 --install /path/to/the.AppImage), or use the deb."
      exit 1
    fi
    echo "User namespaces are not restricted: the AppImage runs as it is."
    ;;
  --print)
    profile "${2:?usage: $0 --print /absolute/path/to/the.AppImage}"
    ;;
  --install)
    file="${2:?usage: sudo $0 --install /absolute/path/to/the.AppImage}"
    [ -f "$file" ] || { echo "$file does not exist." >&2; exit 2; }
    profile "$file" > "/etc/apparmor.d/$NAME"
    apparmor_parser --replace --write-cache --skip-read-cache "/etc/apparmor.d/$NAME"
    echo "Installed /etc/apparmor.d/$NAME for $file. Move the AppImage and you need to run this again."
    ;;
  *)
    echo "usage: $0 --check | --print FILE | --install FILE" >&2
    exit 2
    ;;
esac
