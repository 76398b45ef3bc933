/*
 * dp3q-exec PARENT_PID -- COMMAND [ARG...]
 *
 * Runs COMMAND as the leader of a new session (and so of a new process group), killed with SIGKILL when
 * the thread that started dp3q-exec ends: what util-linux's "setpriv --pdeathsig KILL setsid COMMAND" does,
 * in one exec of a small static binary instead of two of dynamically linked ones. The worker starts one
 * subprocess per task, so what this saves is saved on every dispatch.
 *
 * On x86-64 it is built without the C library (DP3Q_NOLIBC): a static glibc binary costs the kernel
 * about four times as much to exec as one of a few pages. Elsewhere the same code runs on libc.
 *
 * PARENT_PID closes a race: a parent that died before the death signal was armed would never send it.
 * COMMAND is a path (no PATH search). Exit 127 when COMMAND cannot be started, like a shell;
 * "dp3q-exec --check" exits 0 (used by the worker to find out whether this build runs on its host).
 */
#define CANNOT_START 127
#define PR_SET_PDEATHSIG_OPTION 1
#define SIGNAL_KILL 9

#if defined(DP3Q_NOLIBC) && defined(__x86_64__)

static long syscall3(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return result;
}

/* raw system calls return -errno on failure */
static long sys_write(int fd, const char *text, long length) { return syscall3(1, fd, (long) text, length); }
static long sys_execve(const char *path, char **argv, char **envp) { return syscall3(59, (long) path, (long) argv, (long) envp); }
static void sys_exit(int code) { for (;;) syscall3(60, code, 0, 0); }
static long sys_getppid(void) { return syscall3(110, 0, 0, 0); }
static long sys_setsid(void) { return syscall3(112, 0, 0, 0); }
static long sys_prctl_pdeathsig(int signal) { return syscall3(157, PR_SET_PDEATHSIG_OPTION, signal, 0); }

#else

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static long checked(long result) { return result < 0 ? -errno : result; }
static long sys_write(int fd, const char *text, long length) { return checked(write(fd, text, (size_t) length)); }
static long sys_execve(const char *path, char **argv, char **envp) { return checked(execve(path, argv, envp)); }
static void sys_exit(int code) { _exit(code); }
static long sys_getppid(void) { return getppid(); }
static long sys_setsid(void) { return checked(setsid()); }
static long sys_prctl_pdeathsig(int signal) { return checked(prctl(PR_SET_PDEATHSIG_OPTION, signal, 0, 0, 0)); }

#endif

static long length_of(const char *text) {
    long n = 0;
    while (text[n] != '\0') {
        n++;
    }
    return n;
}

static int equal(const char *a, const char *b) {
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void say(const char *text) {
    sys_write(2, text, length_of(text));
}

static const char *reason(long error) {
    switch (error) {
        case 2: return "No such file or directory";
        case 8: return "Exec format error";
        case 13: return "Permission denied";
        default: return "error";
    }
}

static int fail(const char *what, const char *detail, long error) {
    say("dp3q-exec: ");
    say(what);
    say(detail);
    say(": ");
    say(reason(-error));
    say("\n");
    return CANNOT_START;
}

/* a positive decimal pid, or -1 */
static long parse_pid(const char *text) {
    long value = 0;
    if (*text == '\0') {
        return -1;
    }
    for (; *text != '\0'; text++) {
        if (*text < '0' || *text > '9' || value > 100000000L) {
            return -1;
        }
        value = value * 10 + (*text - '0');
    }
    return value;
}

static int run(int argc, char **argv, char **envp) {
    if (argc == 2 && equal(argv[1], "--check")) {
        return 0;
    }
    if (argc < 4 || !equal(argv[2], "--")) {
        say("usage: dp3q-exec PARENT_PID -- COMMAND [ARG...]\n");
        return CANNOT_START;
    }
    long parent = parse_pid(argv[1]);
    if (parent <= 1) {
        say("dp3q-exec: not a parent pid: ");
        say(argv[1]);
        say("\n");
        return CANNOT_START;
    }
    long result = sys_prctl_pdeathsig(SIGNAL_KILL);
    if (result < 0) {
        return fail("cannot set the parent-death signal", "", result);
    }
    if (sys_getppid() != parent) {
        /* the worker is already gone: its chunk is someone else's now */
        return CANNOT_START;
    }
    result = sys_setsid();
    if (result < 0) {
        return fail("cannot start a new session", "", result);
    }
    result = sys_execve(argv[3], argv + 3, envp);
    return fail("cannot run ", argv[3], result);
}

#if defined(DP3Q_NOLIBC) && defined(__x86_64__)

/* the kernel leaves argc, argv..., NULL, envp..., NULL on the stack */
__attribute__((used)) static void start(long *stack) {
    int argc = (int) stack[0];
    char **argv = (char **) (stack + 1);
    sys_exit(run(argc, argv, argv + argc + 1));
}

__asm__(".global _start\n"
        "_start:\n"
        "  xor %rbp, %rbp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call start\n"
        "  hlt\n");

#else

int main(int argc, char **argv, char **envp) {
    return run(argc, argv, envp);
}

#endif
