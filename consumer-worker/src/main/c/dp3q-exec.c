/*
 * dp3q-exec PARENT_PID -- COMMAND [ARG...]
 *
 * Runs COMMAND as the leader of a new session (and so of a new process group), killed with SIGKILL when
 * the thread that started dp3q-exec ends: what util-linux's "setpriv --pdeathsig KILL setsid COMMAND" does,
 * in one exec of a small static binary instead of two of dynamically linked ones. The worker starts one
 * subprocess per task, so the exec it saves is saved on every dispatch.
 *
 * PARENT_PID closes a race: a parent that died before the death signal was armed would never send it.
 * Exit 127 when COMMAND cannot be started, like a shell; "dp3q-exec --check" exits 0 (used by the worker
 * to find out whether this build runs on its host).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define CANNOT_START 127

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--check") == 0) {
        return 0;
    }
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: dp3q-exec PARENT_PID -- COMMAND [ARG...]\n");
        return CANNOT_START;
    }
    char *end;
    long parent = strtol(argv[1], &end, 10);
    if (*end != '\0' || parent <= 1) {
        fprintf(stderr, "dp3q-exec: not a parent pid: %s\n", argv[1]);
        return CANNOT_START;
    }
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        fprintf(stderr, "dp3q-exec: cannot set the parent-death signal: %s\n", strerror(errno));
        return CANNOT_START;
    }
    if (getppid() != (pid_t) parent) {
        /* the worker is already gone: its chunk is someone else's now */
        return CANNOT_START;
    }
    if (setsid() < 0) {
        fprintf(stderr, "dp3q-exec: cannot start a new session: %s\n", strerror(errno));
        return CANNOT_START;
    }
    execv(argv[3], argv + 3);
    fprintf(stderr, "dp3q-exec: cannot run %s: %s\n", argv[3], strerror(errno));
    return CANNOT_START;
}
