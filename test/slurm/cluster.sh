# A private one-node Slurm cluster for tests, sourced by run.sh: its own munge key and socket, a
# generated slurm.conf (127.0.0.1 only, free ports, state and spool under $SLURM_T), slurmctld and
# slurmd in the foreground as background jobs of this shell. Every daemon started is recorded by
# PID in SLURM_PIDS and stopped by slurm_stop (also from a trap), never by name.
#
# slurm_start returns 77 (SKIP) with a reason on stderr where Slurm cannot start (not root, no
# slurm-wlm / munge, daemons that do not come up).

SLURM_PIDS=()

slurm_skip() { echo "SKIP: slurm: $*" >&2; return 77; }

# A TCP port nobody listens on (ss from iproute2; /proc/net/tcp as a fallback).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if command -v ss >/dev/null 2>&1; then
      ss -Htan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
    else
      grep -qi ":$(printf '%04X' "$p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return 0; }
    fi
  done
  return 1
}

# Waits up to $1 seconds for command $2... to succeed.
wait_for() {
  local t=$1; shift
  local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.2
  done
}

slurm_start() {
  [ "$(id -u)" -eq 0 ] || { slurm_skip "not root (slurmd runs jobs as their user and needs root here)"; return; }
  local b
  for b in munged mungekey slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || { slurm_skip "'$b' not installed (apt-get install slurm-wlm munge)"; return; }
  done
  export PATH="$PATH:/usr/sbin"
  SLURM_T=$(mktemp -d /tmp/darkscan-slurm-XXXXXX)
  chmod 755 "$SLURM_T"
  local T=$SLURM_T H
  H=$(uname -n | cut -d. -f1)
  mkdir -p "$T/munge" "$T/ctld" "$T/spool" "$T/log"
  chmod 700 "$T/munge"

  # munge: own key and socket, so nothing of the machine's munge (if any) is touched.
  mungekey --create --keyfile="$T/munge/munge.key" >/dev/null 2>&1 \
    || { dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none; chmod 400 "$T/munge/munge.key"; }
  munged --foreground --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.sock" \
    --pid-file="$T/munge/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/munged.seed" \
    >"$T/log/munged.out" 2>&1 &
  SLURM_PIDS+=($!)
  wait_for 10 test -S "$T/munge/munge.sock" || { cat "$T/log/munged.out" "$T/log/munged.log" >&2 2>/dev/null; slurm_skip "munged did not start"; return; }

  local pc pd
  pc=$(free_port) && pd=$(free_port) || { slurm_skip "no free TCP port"; return; }
  [ "$pc" != "$pd" ] || pd=$((pc + 1))
  export SLURM_CONF="$T/slurm.conf"
  # The node claims 32 CPUs and 16 GiB (config_overrides) so that the README's job (8 CPUs,
  # 4 GiB per task) is accepted as written and its 4 array tasks run at once, as on a cluster.
  cat >"$SLURM_CONF" <<EOF
ClusterName=darkscan-test
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$pc
SlurmdPort=$pd
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/ctld
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/builtin
SlurmdParameters=config_overrides
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
InactiveLimit=0
NodeName=$H NodeAddr=127.0.0.1 CPUs=32 RealMemory=16384 State=UNKNOWN
PartitionName=test Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -D -i -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
  SLURM_PIDS+=($!)
  slurmd -D -f "$SLURM_CONF" -N "$H" >"$T/log/slurmd.out" 2>&1 &
  SLURM_PIDS+=($!)
  if ! wait_for 30 bash -c 'sinfo -h -o %T | grep -qx idle'; then
    echo "--- slurmctld" >&2; tail -20 "$T/log/slurmctld.log" "$T/log/slurmctld.out" >&2 2>/dev/null
    echo "--- slurmd" >&2; tail -20 "$T/log/slurmd.log" "$T/log/slurmd.out" >&2 2>/dev/null
    slurm_skip "slurmctld/slurmd did not bring the node up within 30 s"
    return
  fi
  SLURM_VERSION=$(sinfo --version)
}

# Cancels what is left in the queue, then stops the daemons this shell started, by PID.
slurm_stop() {
  local pid i
  if [ -n "${SLURM_CONF:-}" ] && [ ${#SLURM_PIDS[@]} -ge 3 ] && kill -0 "${SLURM_PIDS[1]}" 2>/dev/null; then
    local jobs; jobs=$(squeue -h -o %A 2>/dev/null | sort -u); [ -z "$jobs" ] || scancel --quiet $jobs >/dev/null 2>&1 || true
    wait_for 15 bash -c '[ -z "$(squeue -h 2>/dev/null)" ]' || true
  fi
  # slurmd, slurmctld, munged: in reverse order of start.
  for ((i = ${#SLURM_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${SLURM_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SLURM_PIDS=()
}
