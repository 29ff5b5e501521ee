#!/bin/sh
# OCI runtime shim for hosts whose capability bounding set lacks CAP_SYS_RESOURCE:
# privileged containers ask for every capability, runc fails with "unable to apply caps",
# so this removes the missing one from the spec (create/run) or process file (exec), then runs runc.
set -eu
real_runc=${DRAINSPEC_REAL_RUNC:-/usr/sbin/runc}
drop=CAP_SYS_RESOURCE

strip_caps() { # $1 file, $2 jq path of the capabilities object
  [ -f "$1" ] || return 0
  tmp="$1.drainspec.$$"
  jq --arg cap "$drop" "$2 |= (if type == \"object\" then with_entries(.value |= (if type == \"array\" then map(select(. != \$cap)) else . end)) else . end)" "$1" > "$tmp"
  mv "$tmp" "$1"
}

subcommand="" bundle="" process_file="" expect=""
for arg in "$@"; do
  if [ -n "$expect" ]; then
    case "$expect" in bundle) bundle=$arg ;; process) process_file=$arg ;; esac
    expect=""; continue
  fi
  case "$arg" in
    --root|--log|--log-format|--criu|--rootless) [ -z "$subcommand" ] && expect=skip ;;
    --bundle|-b) expect=bundle ;;
    --bundle=*) bundle=${arg#--bundle=} ;;
    --process|-p) expect=process ;;
    --process=*) process_file=${arg#--process=} ;;
    -*) ;;
    *) [ -z "$subcommand" ] && subcommand=$arg ;;
  esac
done

case "$subcommand" in
  create|run) strip_caps "${bundle:-.}/config.json" '.process.capabilities' ;;
  exec) [ -n "$process_file" ] && strip_caps "$process_file" '.capabilities' ;;
esac
exec "$real_runc" "$@"
