# Sourced by bin/dp3q and bin/dp3q-worker: class-data sharing (AppCDS) options for a launcher's JVM.
# A JVM that maps the classes an earlier run loaded, already parsed and verified, starts in about half the time
# (dp3q submit: 1.35 s -> 0.8 s here). The archive is learned, not built: the first run of a launcher that
# trains (a dp3q submit, a worker that exits normally) writes the classes it loaded next to the jar
# (<jar>.<pid>.tmp.jsa, when the jar's folder is writable); the next run adopts that file as <jar base>.jsa
# once its writer has exited with exit 0, and every run after maps it. A rebuilt jar is newer than its
# archive, so the archive is learned again. DP3Q_CDS=off runs without. JVM warnings go to stderr, never into --json output.
class_archive_options() {
  [ "${DP3Q_CDS:-on}" = off ] && return 0
  cds_jar=$1
  cds_train=$2
  cds_archive="${cds_jar%.jar}.jsa"
  case "$cds_archive" in *" "*) return 0 ;; esac
  cds_log="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr"
  if [ ! -f "$cds_archive" ] || [ "$cds_jar" -nt "$cds_archive" ]; then
    for cds_made in "${cds_jar%.jar}".*.tmp.jsa; do
      [ -f "$cds_made" ] || continue
      cds_pid=${cds_made%.tmp.jsa}
      cds_pid=${cds_pid##*.}
      kill -0 "$cds_pid" 2> /dev/null && continue   # its JVM may still be writing it
      # .ok: the run that wrote it ended with exit 0 (one that stopped at a usage error loaded too little)
      # launchers started together race here: the first rename wins, the others find nothing left to move
      if [ -f "$cds_made.ok" ] && [ "$cds_made" -nt "$cds_jar" ]; then mv -f "$cds_made" "$cds_archive" 2> /dev/null || true
      else rm -f "$cds_made"; fi
      rm -f "$cds_made.ok"
    done
  fi
  if [ -f "$cds_archive" ] && [ "$cds_archive" -nt "$cds_jar" ]; then
    echo "$cds_log -XX:SharedArchiveFile=$cds_archive -Xshare:auto"
  elif [ "$cds_train" = yes ] && [ -w "$(dirname "$cds_jar")" ]; then
    echo "$cds_log -XX:ArchiveClassesAtExit=${cds_jar%.jar}.$$.tmp.jsa -Ddp3q.class-archive=${cds_jar%.jar}.$$.tmp.jsa"
  fi
}
