#!/usr/bin/env bash
# The README's Slurm workflow on a real (one-node, private) Slurm: bash test/slurm/run.sh
#
#  1. the README's scan.sbatch job array and dependent merge job, submitted as written (the only
#     edit: 32 shards -> 4), merged output == the unsharded scan, bit for bit;
#  2. one array task cancelled (scancel) mid-run: no output that looks complete, merge refuses,
#     the merge job never runs; resubmitting only that task and the merge completes the run, equal
#     to the unsharded scan;
#  3. a toy hypotest with --checkpoint killed with SIGKILL (scancel --signal=KILL --full) resumes,
#     resubmitted, to the same bits as an uninterrupted run;
#  4. toy CLs of every patch of a pyhf patchset (toys with fits) as a 4-task job array and a
#     dependent merge job == the unsharded run, bit for bit.
#
# Exit 0: passed. Exit 1: failed. Exit 77: SKIPPED (Slurm cannot start here, e.g. not root); with
# DARKSCAN_REQUIRE_SLURM=1 (CI) a skip is a failure. Needs dist/ (node build.mjs). Every daemon it
# starts is stopped by PID on exit, failure included; KEEP=1 keeps the temp folder.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/test/slurm"
source "$HERE/cluster.sh"

T0=$(date +%s.%N)
TIMES=()
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
phase_start() { PH_NAME=$1; PH_T=$(now); echo "== $1"; }
phase_end() { local s; s=$(secs "$PH_T" "$(now)"); TIMES+=("$PH_NAME ${s}s"); echo "   ($PH_NAME: ${s} s)"; }

FAILED=0
on_exit() {
  local rc=$?
  [ "$FAILED" = 1 ] && rc=1
  slurm_stop
  if [ -n "${SLURM_T:-}" ] && [ -d "$SLURM_T" ]; then
    if [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$SLURM_T"; else echo "slurm test files kept in $SLURM_T" >&2; fi
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

fail() {
  FAILED=1
  echo "FAIL: slurm: $*" >&2
  if [ -n "${SLURM_T:-}" ]; then
    echo "--- queue / jobs" >&2; squeue >&2 2>/dev/null; scontrol -o show job 2>/dev/null | grep -o 'JobId=[0-9]* \(ArrayJobId=[0-9]* ArrayTaskId=[0-9]* \)\?JobName=[^ ]* .*JobState=[A-Z_]* Reason=[^ ]*' >&2
    for f in "$SLURM_T"/log/slurmctld.log "$SLURM_T"/log/slurmd.log; do echo "--- $f" >&2; tail -15 "$f" >&2 2>/dev/null; done
    for f in "$SLURM_T"/w*/logs/*.log "$SLURM_T"/w*/slurm-*.out "$SLURM_T"/w*/toys-*.out; do [ -f "$f" ] && { echo "--- $f" >&2; tail -5 "$f" >&2; }; done
  fi
  exit 1
}

# --- 0. the cluster -----------------------------------------------------------------------------
phase_start "cluster start"
slurm_start
rc=$?
if [ "$rc" != 0 ]; then
  if [ "${DARKSCAN_REQUIRE_SLURM:-0}" = 1 ]; then fail "Slurm could not start and DARKSCAN_REQUIRE_SLURM=1"; fi
  echo "SKIP: slurm test NOT RUN (see the reason above); exit 77" >&2
  exit 77
fi
echo "   $SLURM_VERSION, node $(sinfo -h -o '%N %c CPUs %m MB %T'), conf $SLURM_CONF"
phase_end

# --- inputs, the README's blocks, darkscan on PATH -----------------------------------------------
phase_start "inputs"
[ -f "$REPO/dist/cli.js" ] || (cd "$REPO" && node build.mjs >/dev/null) || fail "node build.mjs failed"
mkdir -p "$SLURM_T/bin" && ln -s "$REPO/bin/darkscan.js" "$SLURM_T/bin/darkscan"
export PATH="$SLURM_T/bin:$PATH"   # sbatch exports the submitting environment to the jobs

IN="$SLURM_T/inputs"
mkdir -p "$IN"
# Events over the dark Higgsstrahlung plane from darkscan's own Philox stream (seeded; test input
# only): 400k data events (large enough that a scan task runs for a while), weighted background
# and signal samples. 4 uniforms per line u0..u3.
events() { # FILE N SEED weighted|plain
  darkscan random --seed "$3" --blocks "$2" --format uniform --backend wasm | awk -v w="$4" '
    /^#/ { next }
    NR == 2 { print (w == "weighted" ? "m_mumu_GeV,m_recoil_GeV,weight" : "m_mumu_GeV,m_recoil_GeV") }
    { x = 0.22 + 10.2 * $1; y = (x < 10.58 - x ? x : 10.58 - x) * $2
      if (w == "weighted") printf "%.9g,%.9g,%.6g\n", x, y, 0.05 + 1.5 * $3; else printf "%.9g,%.9g\n", x, y }' >"$1"
}
events "$IN/data.csv" 400000 11 plain && events "$IN/bkg.csv" 100000 12 weighted && events "$IN/sig.csv" 5000 13 weighted \
  || fail "generating the inputs"
[ "$(wc -l <"$IN/data.csv")" = 400001 ] || fail "data.csv has $(wc -l <"$IN/data.csv") lines, expected 400001"

# The README's two Slurm blocks (after the **Slurm** line): scan.sbatch and the submit commands.
# The only edit: 32 shards -> 4 (N=32 and --array=0-31, each present exactly once).
readme_block() { # K: the K-th ```sh block after the **Slurm** line
  awk -v k="$1" '/^\*\*Slurm\*\*/ { on = 1 } on && /^```sh$/ { n++; if (n == k) { inb = 1; next } } inb && /^```$/ { exit } inb { print }' "$REPO/README.md"
}
SBATCH=$(readme_block 1)
SUBMIT=$(readme_block 2)
[ -n "$SBATCH" ] && [ -n "$SUBMIT" ] || fail "README: no Slurm scan.sbatch / submit blocks after '**Slurm**'"
[ "$(grep -c '^N=32$' <<<"$SBATCH")" = 1 ] || fail "README scan.sbatch: expected one line 'N=32'"
[ "$(grep -o -- '--array=0-31' <<<"$SUBMIT" | wc -l)" = 1 ] || fail "README submit block: expected one '--array=0-31'"
SBATCH=${SBATCH/$'\n'N=32$'\n'/$'\n'N=4$'\n'}
SUBMIT=${SUBMIT/--array=0-31/--array=0-3}
# The scan options, for the unsharded reference run: the sbatch's darkscan command without
# --workers / --shard / --out (so a change of the README's command changes both runs).
SCAN_CMD=$(awk '/^darkscan scan/ { on = 1 } on { line = $0; cont = sub(/\\$/, "", line); printf "%s ", line; if (!cont) exit }' <<<"$SBATCH")
REF_ARGS=$(sed -E 's/--workers "[^"]*"//; s/--shard "[^"]*"//; s/--out "[^"]*"//; s/^darkscan scan//; s/  +/ /g; s/ *$//' <<<"$SCAN_CMD")
grep -q -- '--shard "\$SLURM_ARRAY_TASK_ID/\$N"' <<<"$SCAN_CMD" || fail "README scan.sbatch: the darkscan command has no --shard \"\$SLURM_ARRAY_TASK_ID/\$N\""
grep -q -- '--out "shards/scan-\$SLURM_ARRAY_TASK_ID.json"' <<<"$SCAN_CMD" || fail "README scan.sbatch: expected --out \"shards/scan-\$SLURM_ARRAY_TASK_ID.json\""

# A fresh submit folder with the inputs (data.csv, bkg.csv, sig.csv as the README names them).
workdir() {
  local w="$SLURM_T/$1"
  mkdir -p "$w" && ln -s "$IN"/*.csv "$w"/ && printf '%s\n' "$SBATCH" >"$w/scan.sbatch" && printf '%s\n' "$SUBMIT" >"$w/submit.sh"
  echo "$w"
}
# Submits the README's commands in folder $1; prints the array job id.
submit_readme() { (cd "$1" && source ./submit.sh >submit.out 2>&1 && echo "$jid") || { cat "$1/submit.out" >&2; fail "the README's submit commands failed"; }; }
# Waits (at most $2 s) until none of the jobs matching the space-separated ids in $1 is in the queue.
wait_gone() {
  local ids=$1 t=$2 end=$((SECONDS + $2)) left
  while :; do
    left=$(squeue -h -o '%i %T %r' 2>/dev/null | grep -E "^($(tr ' ' '|' <<<"$ids"))(_|[[:space:]])" || true)
    [ -z "$left" ] && return 0
    [ $SECONDS -lt $end ] || fail "jobs still queued after $t s: $left"
    sleep 0.3
  done
}
state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
array_states() { # JOBID: "task:STATE ..." sorted by task
  scontrol -o show job "$1" 2>/dev/null | awk '{ t = ""; s = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^ArrayTaskId=/) t = substr($i, 13); if ($i ~ /^JobState=/) s = substr($i, 10) } print t ":" s }' | sort -n | tr '\n' ' '
}
ignore=backend,backend_details,scan_seconds,shards
phase_end

# --- the unsharded reference ----------------------------------------------------------------------
phase_start "unsharded scan (no Slurm)"
REF="$SLURM_T/ref"
mkdir -p "$REF" && ln -s "$IN"/*.csv "$REF"/
(cd "$REF" && eval "darkscan scan $REF_ARGS --out whole.json" >scan.log 2>&1) || { cat "$REF/scan.log" >&2; fail "unsharded scan failed"; }
echo "   darkscan scan$REF_ARGS --out whole.json"
phase_end

# --- 1. the README's job array and merge job -----------------------------------------------------
phase_start "job array (4 tasks) + merge job"
W1=$(workdir w1)
J1=$(submit_readme "$W1")
echo "   array job $J1; $(grep -c . "$W1/submit.out") line(s) from sbatch: $(tr '\n' ' ' <"$W1/submit.out")"
M1=$(grep -o '[0-9]*' "$W1/submit.out" | tail -1)
wait_gone "$J1 $M1" 120
st=$(array_states "$J1")
[ "$st" = "0:COMPLETED 1:COMPLETED 2:COMPLETED 3:COMPLETED " ] || fail "array tasks: $st"
[ "$(state "$M1")" = COMPLETED ] || fail "merge job $M1: $(state "$M1")"
[ -f "$W1/scan.json" ] || fail "no scan.json after the merge job"
node "$HERE/same.mjs" "$W1/scan.json" "$REF/whole.json" --ignore "$ignore" || fail "merged job array != unsharded scan"
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (d.shards?.length !== 4) { console.error(`shards: ${JSON.stringify(d.shards)}`); process.exit(1) } console.log(`   shards: ${d.shards.map((s) => `${s.index} [${s.first}, ${s.end}) ${s.backend} ${Number(s.scan_seconds).toFixed(2)} s`).join("; ")}`)' "$W1/scan.json" \
  || fail "scan.json does not list 4 shards"
phase_end

# --- 2. scancel one array task mid-run; resubmit only it ------------------------------------------
phase_start "scancel task 2 mid-run, resubmit it"
W2=$(workdir w2)
J2=$(submit_readme "$W2")
M2=$(grep -o '[0-9]*' "$W2/submit.out" | tail -1)
# Task 2's darkscan process (found by its cwd and --shard 2/4), caught once it has read at least
# as many bytes as data.csv holds (so it is into its inputs, not starting up) and before it
# writes its output, then frozen (SIGSTOP) so that the cancel surely lands mid-run, however fast
# or slow this machine is.
pid=""
dsize=$(stat -c %s "$IN/data.csv")
end=$((SECONDS + 60))
while [ $SECONDS -lt $end ]; do
  for d in /proc/[0-9]*; do
    [ "$(readlink "$d/cwd" 2>/dev/null)" = "$W2" ] || continue
    tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -q -- 'darkscan.* --shard 2/4 ' || continue
    p=${d#/proc/}
    rchar=$(awk '/^rchar/ { print $2 }' "/proc/$p/io" 2>/dev/null || echo 0)
    if [ "${rchar:-0}" -gt "$dsize" ]; then kill -STOP "$p" && pid=$p && break 2; fi
  done
  [ -f "$W2/shards/scan-2.json" ] && fail "task 2 finished before it could be cancelled (increase the data)"
  sleep 0.02
done
[ -n "$pid" ] || fail "task 2's darkscan process not seen running within 60 s"
[ -e "$W2/shards/scan-2.json" ] && fail "task 2 wrote its output before it was stopped (increase the data)"
echo "   task ${J2}_2: darkscan pid $pid stopped after reading $(awk '/^rchar/ { print $2 }' "/proc/$pid/io") bytes (data.csv: $dsize), no output yet; scancel ${J2}_2"
scancel "${J2}_2" || fail "scancel ${J2}_2"
wait_gone "$J2" 120
# Gone, or a zombie not yet reaped (its parent died first; PID 1 reaps it when it gets to it).
alive() { [ -e "/proc/$1" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }
end=$((SECONDS + 15))
while alive "$pid"; do [ $SECONDS -lt $end ] || fail "task 2's darkscan (pid $pid) survived scancel by 15 s"; sleep 0.2; done
st=$(array_states "$J2")
[ "$st" = "0:COMPLETED 1:COMPLETED 2:CANCELLED 3:COMPLETED " ] || fail "array tasks after scancel: $st"
[ -e "$W2/shards/scan-2.json" ] && fail "the cancelled task left shards/scan-2.json"
ls "$W2/shards/" | grep -q '^scan-2\.json$' && fail "cancelled shard output present"
echo "   shards/ after the cancel: $(ls "$W2/shards" | tr '\n' ' ')"
# The merge job never runs: Slurm marks its afterok dependency as never satisfied.
end=$((SECONDS + 60))
until ms=$(scontrol -o show job "$M2" | grep -o 'JobState=[A-Z]* Reason=[A-Za-z]*'); [ "$ms" = "JobState=PENDING Reason=DependencyNeverSatisfied" ]; do
  [ $SECONDS -lt $end ] || fail "merge job $M2 60 s after the cancel: $ms (expected pending, DependencyNeverSatisfied)"
  sleep 0.3
done
echo "   merge job $M2: $ms"
if (cd "$W2" && darkscan merge shards/scan-*.json --out scan.json >merge-refused.log 2>&1); then fail "merge of 3 of 4 shards succeeded"; fi
grep -q 'missing' "$W2/merge-refused.log" || fail "merge refused without naming the missing items: $(cat "$W2/merge-refused.log")"
[ -e "$W2/scan.json" ] && fail "a refused merge wrote scan.json"
echo "   merge refuses: $(cat "$W2/merge-refused.log")"
# As the README says: cancel the stale merge job, resubmit the missing task and the merge.
scancel "$M2"
(cd "$W2" && jid=$(sbatch --parsable --array=2 scan.sbatch) && echo "$jid" >resubmit.jid \
  && sbatch --parsable --dependency=afterok:$jid --wrap 'darkscan merge shards/scan-*.json --out scan.json' >resubmit-merge.jid) \
  || fail "resubmitting task 2"
J2b=$(cat "$W2/resubmit.jid") M2b=$(cat "$W2/resubmit-merge.jid")
wait_gone "$J2b $M2b" 120
[ "$(array_states "$J2b")" = "2:COMPLETED " ] || fail "resubmitted task: $(array_states "$J2b")"
[ "$(state "$M2b")" = COMPLETED ] || fail "merge job $M2b: $(state "$M2b")"
node "$HERE/same.mjs" "$W2/scan.json" "$REF/whole.json" --ignore "$ignore" || fail "merge after the resubmission != unsharded scan"
phase_end

# --- 3. a toy run killed with SIGKILL resumes from its checkpoint ---------------------------------
phase_start "toy hypotest SIGKILLed, resubmitted, resumed"
W3="$SLURM_T/w3"
mkdir -p "$W3"
TOY="darkscan hypotest --observed 7 --signal 4 --background 3.2 --background-uncertainty 0.8 --calculator toys --toys 400000 --seed 9 --backend cpu"
(cd "$W3" && $TOY --json >uninterrupted.json) || fail "uninterrupted toy run"
CK="$TOY --block 40000 --checkpoint ck.json --json"
J3=$(cd "$W3" && sbatch --parsable --output=toys-%j.out --wrap "$CK") || fail "sbatch toy run"
done_in() { node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).done) } catch { console.log(0) }' "$1"; }
end=$((SECONDS + 60)) d=0
while [ $SECONDS -lt $end ]; do
  [ -f "$W3/ck.json" ] && d=$(done_in "$W3/ck.json") && [ "$d" -ge 80000 ] && break
  [ -z "$(squeue -h -j "$J3" 2>/dev/null)" ] && fail "toy job $J3 ended before it could be killed ($(state "$J3"))"
  sleep 0.05
done
[ "$d" -ge 80000 ] || fail "no checkpoint with >= 80000 toys within 60 s"
scancel --signal=KILL --full "$J3" || fail "scancel --signal=KILL"
wait_gone "$J3" 60
s3=$(state "$J3")
[ "$s3" != COMPLETED ] || fail "the killed toy job says COMPLETED"
kept=$(done_in "$W3/ck.json")
[ "$kept" -gt 0 ] && [ "$kept" -lt 400000 ] || fail "checkpoint after the kill: done = $kept"
grep -q '"cls"' "$W3/toys-$J3.out" && fail "the killed toy job printed a result"
echo "   job $J3 $s3 after SIGKILL; checkpoint holds $kept of 400000 toys"
cp "$W3/ck.json" "$W3/ck-after-kill.json"
J3b=$(cd "$W3" && sbatch --parsable --output=toys-%j.out --wrap "$CK") || fail "resubmitting the toy run"
wait_gone "$J3b" 120
[ "$(state "$J3b")" = COMPLETED ] || fail "resubmitted toy job: $(state "$J3b")"
[ -e "$W3/ck.json" ] && fail "checkpoint still there after the resumed run completed"
cmp -s "$W3/toys-$J3b.out" "$W3/uninterrupted.json" || { diff "$W3/toys-$J3b.out" "$W3/uninterrupted.json" >&2; fail "resumed toy run != uninterrupted"; }
echo "   resumed: $(cat "$W3/toys-$J3b.out")"
# The same checkpoint in text mode says how many toys it took from the file.
cp "$W3/ck-after-kill.json" "$W3/ck.json"
note=$(cd "$W3" && ${CK% --json} | head -1) || fail "text-mode resume"
grep -q "$kept resumed from ck.json" <<<"$note" || fail "text-mode resume did not take $kept toys from the checkpoint: $note"
echo "   $note"
phase_end

# --- 4. toy CLs of every patch of a patchset as a job array -----------------------------------------
phase_start "patchset toy CLs: job array + merge"
W4="$SLURM_T/w4"
mkdir -p "$W4/shards"
PSD="$REPO/test/fixtures/pyhf/patchsets"
CLS="darkscan cls $PSD/mass_scan_bkg.json --patchset $PSD/mass_scan_patchset.json --calculator toys --toys 4000 --seed 3 --backend wasm --json"
(cd "$W4" && $CLS >whole.json) || fail "unsharded patchset toy CLs"
printf '#!/bin/bash\n#SBATCH --array=0-3\n%s --workers 1 --shard "$SLURM_ARRAY_TASK_ID/4" >"shards/cls-$SLURM_ARRAY_TASK_ID.json"\n' "$CLS" >"$W4/cls.sbatch"
J4=$(cd "$W4" && sbatch --parsable cls.sbatch) || fail "sbatch cls.sbatch"
M4=$(cd "$W4" && sbatch --parsable --dependency=afterok:$J4 --wrap 'darkscan merge shards/cls-*.json --out cls.json') || fail "sbatch the merge job"
wait_gone "$J4 $M4" 180
st=$(array_states "$J4")
[ "$st" = "0:COMPLETED 1:COMPLETED 2:COMPLETED 3:COMPLETED " ] || fail "cls array tasks: $st"
[ "$(state "$M4")" = COMPLETED ] || fail "cls merge job $M4: $(state "$M4")"
# Not compared: where it ran, the shard list, and the observed-data fit counts (every shard fits the data).
node "$HERE/same.mjs" "$W4/cls.json" "$W4/whole.json" --ignore kind,shards,backend,darkscan_version,fits,fits_not_converged || fail "merged patchset toy CLs != unsharded"
echo "   $(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(Object.keys(d.patches).length + " patches x " + d.toys + " toys per hypothesis, seed " + d.seed)' "$W4/cls.json")"
phase_end

TOTAL=$(secs "$T0" "$(now)")
echo "PASS: slurm: $SLURM_VERSION; README job array + merge == unsharded; cancelled task resubmitted == unsharded; SIGKILLed toy run resumed == uninterrupted; patchset toy CLs job array + merge == unsharded"
echo "wall times: $(IFS=';'; echo "${TIMES[*]}" | sed 's/;/; /g'); total ${TOTAL}s"
