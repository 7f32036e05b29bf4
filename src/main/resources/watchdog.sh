#!/usr/bin/env bash
# multiaz watchdog: ends a writer's PostgreSQL when its agent stops renewing the writer deadline.
#
# The agent rewrites DEADLINE_FILE ("<deadline> <postmaster-pid>") while it holds the writer lease;
# "0 0" disarms. The deadline is in milliseconds since boot, as /proc/uptime counts them (the agent's
# BootClock): monotonic, so a step of the wall clock neither fires nor postpones it. If the deadline
# passes (the agent is paused, hung or dead), the postmaster is killed, before the agent's
# coordination session can expire and a standby take the lease. Runs as a separate process so that a
# stopped agent cannot hold it up. Exits once the agent is gone and nothing is armed.
#
# usage: watchdog.sh DEADLINE_FILE AGENT_PID DATA_DIR
set -u
file="$1"; agent="$2"; data="$3"
while :; do
  deadline=0; pid=0
  read -r deadline pid < "$file" 2>/dev/null || true
  if [[ "$deadline" =~ ^[0-9]+$ && "$pid" =~ ^[0-9]+$ ]] && (( deadline > 0 )); then
    up=""
    read -r up _ < /proc/uptime 2>/dev/null || true
    now=0
    [[ "$up" =~ ^([0-9]+)\.([0-9]{2}) ]] && now=$(( (10#${BASH_REMATCH[1]} * 100 + 10#${BASH_REMATCH[2]}) * 10 ))
    if (( now > deadline )); then
      cmd=""
      [[ -r /proc/$pid/cmdline ]] && cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline")"
      if [[ "$cmd" == *postgres* && "$cmd" == *"$data"* ]]; then
        kill -KILL "$pid" 2>/dev/null && echo "$(date -Is) watchdog: writer deadline passed; killed postmaster $pid"
      fi
      printf '0 0\n' > "$file.tmp" && mv -f "$file.tmp" "$file"
      deadline=0
    fi
  fi
  if ! kill -0 "$agent" 2>/dev/null && (( deadline == 0 )); then
    exit 0
  fi
  sleep 0.1
done
