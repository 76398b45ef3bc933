/*
 * dp3q-exec PARENT_PID [--guard=MS --record=PATH [--usage]] -- COMMAND [ARG...]
 * dp3q-exec PARENT_PID --guard=MS --record=PATH --usage --resident [--]
 *
 * Without --guard: runs COMMAND as the leader of a new session (and so of a new process group), killed with
 * SIGKILL when the thread that started dp3q-exec ends: what util-linux's "setpriv --pdeathsig KILL setsid
 * COMMAND" does, in one exec of a small static binary instead of two of dynamically linked ones.
 *
 * With --guard=MS: the guardian. dp3q-exec leads the new session and process group, starts COMMAND as its
 * child in that group and stays, outside the JVM, until COMMAND ends; then it ends the same way (the same exit
 * code, or killed by the same signal). Its standard input is the worker's ping pipe, which carries 8-byte
 * little-endian numbers: 0 is a ping (the worker holds the chunk's delivery), written every fraction of MS; a
 * number above 0 is a lease: the run may outlive its pings until that CLOCK_BOOTTIME millisecond (the worker's
 * claim on the chunk is renewed until then; a later lease replaces an earlier one). When no ping came for MS
 * milliseconds (the worker's JVM is stopped or starved, and the broker will soon hand the chunk to another
 * worker) and the lease, if any, has run out, it writes why to PATH and SIGKILLs its whole process group,
 * itself included. When the pipe reaches its end (the worker died, however), it SIGKILLs the group
 * without a word. It ignores SIGTERM, SIGINT, SIGHUP and SIGQUIT (COMMAND gets them as usual), so that a stop
 * the worker asks of the group reaches COMMAND and its end is still reported. COMMAND reads /dev/null, and is
 * SIGKILLed by the kernel when dp3q-exec dies first. The guardian is the subreaper of everything COMMAND
 * starts: once COMMAND has ended, it SIGKILLs and reaps every descendant COMMAND left behind (in its process
 * group, in a group of its own, or in a session of its own) before it ends itself. With --usage, COMMAND writes
 * both its outputs to the guardian's standard error, and the guardian then writes to its own standard output
 * what the kernel counted of COMMAND and all its descendants: "cpu_ms=N" (user + system), "max_rss_kb=N" (the
 * largest peak resident set among them) and "leftovers=N" (descendants still there after the last round of
 * kills: 0, or the worker looks for them itself) and "status=N" (COMMAND's wait status, which the guardian then
 * ends with: the worker need not wait for the guardian to be reaped). The figures are those wait4 returned for
 * COMMAND and for each descendant reaped after it, so they are this run's alone. Exact where sampling /proc would miss the
 * start and the last moments of a run; a pipe, not a file: no file system work between the tool's end and the
 * worker's. Before that, as soon as COMMAND has been executed (its exec succeeded), it writes "started=1": the
 * worker does its own bookkeeping for the run after that, not while the tool is being started.
 *
 * With --resident (a slot's resident guardian): it sets itself up as a guardian at once, then runs one COMMAND
 * after another, each as it comes on its standard input (see run_resident), with the log both of COMMAND's
 * outputs are appended to, the directory to run in and the variables to add to the environment. It guards and
 * reports each as above, and once COMMAND's report is written it waits for the next one instead of ending.
 * The worker starts one per slot before the slot's first task, so each task's start costs one vfork-style
 * clone (see sys_spawn) and one exec, and no process start of the worker's own. It ends quietly when its input
 * ends while no COMMAND runs.
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
#define PR_SET_CHILD_SUBREAPER_OPTION 36
#define SIGNAL_HUP 1
#define SIGNAL_INT 2
#define SIGNAL_QUIT 3
#define SIGNAL_KILL 9
#define SIGNAL_TERM 15
#define SIGNAL_CHLD 17
#define CLONE_VM_FLAG 0x100
#define CLONE_VFORK_FLAG 0x4000
#define READABLE 1
#define WAIT_NOHANG 1
#define CLOCK_BOOT 7
#define CLOCK_WALL 0
#define ERROR_INTERRUPTED 4
#define ERROR_AGAIN 11
#define ERROR_NO_CHILD 10

struct poll_entry {
    int fd;
    short events;
    short returned;
};

struct time_value {
    long seconds;
    long nanoseconds;
};

/* struct rusage on Linux: two timevals, then 14 longs of which the first is the peak resident set in kB */
struct resource_usage {
    long user_seconds;
    long user_microseconds;
    long system_seconds;
    long system_microseconds;
    long max_rss_kb;
    long rest[13];
};

#if defined(DP3Q_NOLIBC) && defined(__x86_64__)

#define OPEN_READ 0
#define OPEN_WRITE_NEW 01101 /* O_WRONLY | O_CREAT | O_TRUNC */
#define OPEN_APPEND 02101 /* O_WRONLY | O_CREAT | O_APPEND */
#define SIGNAL_SET_BYTES 8
#define FD_CLOSE_ON_EXEC 02000000
#define BLOCK 0
#define UNBLOCK 1

static long syscall4(long number, long a, long b, long c, long d) {
    long result;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

static long syscall3(long number, long a, long b, long c) { return syscall4(number, a, b, c, 0); }

/* raw system calls return -errno on failure */
static long sys_read(int fd, char *buffer, long length) { return syscall3(0, fd, (long) buffer, length); }
static long sys_write(int fd, const char *text, long length) { return syscall3(1, fd, (long) text, length); }
static long sys_open(const char *path, int flags) { return syscall3(2, (long) path, flags, 0644); }
static long sys_close(int fd) { return syscall3(3, fd, 0, 0); }
static long sys_poll(struct poll_entry *entries, long count, long timeout_ms) {
    return syscall3(7, (long) entries, count, timeout_ms);
}
static long sys_dup2(int from, int to) { return syscall3(33, from, to, 0); }
static long sys_pipe_cloexec(int fds[2]) { return syscall3(293, (long) fds, FD_CLOSE_ON_EXEC, 0); }
static long sys_chdir(const char *path) { return syscall3(80, (long) path, 0, 0); }
static long sys_getpid(void) { return syscall3(39, 0, 0, 0); }
/*
 * Starts fn(arg) in a child that shares this process's memory until it executes its command or exits, with this
 * process suspended meanwhile (clone with CLONE_VM | CLONE_VFORK, as vfork and posix_spawn do): no page table is
 * copied and no page faulted in copy-on-write. The child runs on a stack of its own, so nothing it does can touch
 * the frames this process returns to; fn must exec or exit. Returns the child's pid, or -errno.
 */
static long sys_spawn(void (*fn)(void *), void *arg, char *stack_top) {
    long result;
    register long r10 __asm__("r10") = 0;
    register long r8 __asm__("r8") = 0;
    register void (*r12)(void *) __asm__("r12") = fn;
    register void *r13 __asm__("r13") = arg;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     /* the child, on its own stack: fn(arg), then exit(127) should fn return */
                     "xor %%ebp, %%ebp\n\t"
                     "mov %%r13, %%rdi\n\t"
                     "call *%%r12\n\t"
                     "mov $127, %%edi\n\t"
                     "mov $60, %%eax\n\t"
                     "syscall\n\t"
                     "1:"
                     : "=a"(result)
                     : "a"(56), "D"(CLONE_VM_FLAG | CLONE_VFORK_FLAG | SIGNAL_CHLD), "S"(stack_top), "d"(0),
                       "r"(r10), "r"(r8), "r"(r12), "r"(r13)
                     : "rcx", "r11", "memory");
    return result;
}
static long sys_execve(const char *path, char **argv, char **envp) { return syscall3(59, (long) path, (long) argv, (long) envp); }
static void sys_exit(int code) { for (;;) syscall3(60, code, 0, 0); }
static long sys_wait4(long pid, int *status, struct resource_usage *usage) {
    return syscall4(61, pid, (long) status, WAIT_NOHANG, (long) usage);
}
static long sys_kill(long pid, int signal) { return syscall3(62, pid, signal, 0); }
static long sys_getppid(void) { return syscall3(110, 0, 0, 0); }
static long sys_setsid(void) { return syscall3(112, 0, 0, 0); }
static long sys_prctl_pdeathsig(int signal) { return syscall3(157, PR_SET_PDEATHSIG_OPTION, signal, 0); }
static long sys_prctl_subreaper(void) { return syscall3(157, PR_SET_CHILD_SUBREAPER_OPTION, 1, 0); }
static long sys_clock(int clock, struct time_value *now) { return syscall3(228, clock, (long) now, 0); }

/* the kernel's struct sigaction on x86-64: handler, flags, restorer, mask; no restorer for SIG_DFL/SIG_IGN */
static long set_disposition(int signal, long disposition) {
    long action[4] = {disposition, 0, 0, 0};
    return syscall4(13, signal, (long) action, 0, SIGNAL_SET_BYTES);
}
static long sys_ignore(int signal) { return set_disposition(signal, 1); }
static long sys_default(int signal) { return set_disposition(signal, 0); }
static long mask_one(int how, int signal) {
    unsigned long set = 1UL << (signal - 1);
    return syscall4(14, how, (long) &set, 0, SIGNAL_SET_BYTES);
}
static long sys_block(int signal) { return mask_one(BLOCK, signal); }
static long sys_unblock(int signal) { return mask_one(UNBLOCK, signal); }
/* a descriptor that becomes readable when a blocked signal is pending */
static long sys_signal_fd(int signal) {
    unsigned long set = 1UL << (signal - 1);
    return syscall4(289, -1, (long) &set, SIGNAL_SET_BYTES, FD_CLOSE_ON_EXEC);
}
/* no core file for the guardian when it passes on a signal that dumps core */
static long sys_no_core(void) {
    unsigned long limit[2] = {0, 0};
    return syscall3(160, 4 /* RLIMIT_CORE */, (long) limit, 0);
}

#else

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OPEN_READ O_RDONLY
#define OPEN_WRITE_NEW (O_WRONLY | O_CREAT | O_TRUNC)
#define OPEN_APPEND (O_WRONLY | O_CREAT | O_APPEND)

static long checked(long result) { return result < 0 ? -errno : result; }
static long sys_read(int fd, char *buffer, long length) { return checked(read(fd, buffer, (size_t) length)); }
static long sys_write(int fd, const char *text, long length) { return checked(write(fd, text, (size_t) length)); }
static long sys_open(const char *path, int flags) { return checked(open(path, flags, 0644)); }
static long sys_close(int fd) { return checked(close(fd)); }
static long sys_poll(struct poll_entry *entries, long count, long timeout_ms) {
    return checked(poll((struct pollfd *) entries, (nfds_t) count, (int) timeout_ms));
}
static long sys_dup2(int from, int to) { return checked(dup2(from, to)); }
static long sys_pipe_cloexec(int fds[2]) { return checked(pipe2(fds, O_CLOEXEC)); }
static long sys_chdir(const char *path) { return checked(chdir(path)); }
static long sys_getpid(void) { return getpid(); }
/* see the version without the C library above; glibc's clone gives the child its stack and calls fn */
static int spawned(void *arg);
static void (*spawned_fn)(void *);
static long sys_spawn(void (*fn)(void *), void *arg, char *stack_top) {
    spawned_fn = fn;
    return checked(clone(spawned, stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, arg));
}
static int spawned(void *arg) {
    spawned_fn(arg);
    return CANNOT_START;
}
static long sys_execve(const char *path, char **argv, char **envp) { return checked(execve(path, argv, envp)); }
static void sys_exit(int code) { _exit(code); }
static long sys_wait4(long pid, int *status, struct resource_usage *usage) {
    return checked(wait4((pid_t) pid, status, WNOHANG, (struct rusage *) usage));
}
static long sys_kill(long pid, int signal) { return checked(kill((pid_t) pid, signal)); }
static long sys_getppid(void) { return getppid(); }
static long sys_setsid(void) { return checked(setsid()); }
static long sys_prctl_pdeathsig(int signal) { return checked(prctl(PR_SET_PDEATHSIG_OPTION, signal, 0, 0, 0)); }
static long sys_prctl_subreaper(void) { return checked(prctl(PR_SET_CHILD_SUBREAPER_OPTION, 1, 0, 0, 0)); }
static long sys_clock(int clock, struct time_value *now) {
    struct timespec spec;
    long result = checked(clock_gettime(clock, &spec));
    now->seconds = spec.tv_sec;
    now->nanoseconds = spec.tv_nsec;
    return result;
}
static long sys_ignore(int number) { return checked((long) (signal(number, SIG_IGN) == SIG_ERR ? -1 : 0)); }
static long sys_default(int number) { return checked((long) (signal(number, SIG_DFL) == SIG_ERR ? -1 : 0)); }
static long mask_one(int how, int number) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, number);
    return checked(sigprocmask(how, &set, NULL));
}
static long sys_block(int number) { return mask_one(SIG_BLOCK, number); }
static long sys_unblock(int number) { return mask_one(SIG_UNBLOCK, number); }
static long sys_signal_fd(int number) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, number);
    return checked(signalfd(-1, &set, SFD_CLOEXEC));
}
static long sys_no_core(void) {
    struct rlimit none = {0, 0};
    return checked(setrlimit(RLIMIT_CORE, &none));
}

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

/* the rest of text after prefix, or 0 when text does not start with it */
static const char *after(const char *text, const char *prefix) {
    while (*prefix != '\0') {
        if (*text != *prefix) {
            return 0;
        }
        text++;
        prefix++;
    }
    return text;
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

/* a non-negative decimal number below 10^9, or -1 */
static long parse_number(const char *text) {
    long value = 0;
    if (text == 0 || *text == '\0') {
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

/* appends the decimal form of value (>= 0) at out; returns the end */
static char *put_number(char *out, long value) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (n > 0) {
        *out++ = digits[--n];
    }
    return out;
}

static char *put_text(char *out, const char *text) {
    while (*text != '\0') {
        *out++ = *text++;
    }
    return out;
}

static long now_ms(int clock) {
    struct time_value now = {0, 0};
    sys_clock(clock, &now);
    return now.seconds * 1000 + now.nanoseconds / 1000000;
}

/* ends this process the way the child ended: the same exit code, or killed by the same signal */
static void end_like(int status) {
    int signal = status & 0x7f;
    if (signal == 0) {
        sys_exit((status >> 8) & 0xff);
    }
    sys_no_core();
    sys_default(signal);
    sys_unblock(signal);
    sys_kill(sys_getpid(), signal);
    sys_exit(128 + signal);
}

/* "silent_ms=N\nguard_ms=N\n[lease_over_ms=N\n]killed_at_ms=N\n" into record (best effort: the kill matters more) */
static void write_record(const char *record, long silent_ms, long guard_ms, long lease_over_ms) {
    char text[160];
    char *end = put_text(text, "silent_ms=");
    end = put_number(end, silent_ms);
    end = put_text(end, "\nguard_ms=");
    end = put_number(end, guard_ms);
    if (lease_over_ms >= 0) {
        end = put_text(end, "\nlease_over_ms=");
        end = put_number(end, lease_over_ms);
    }
    end = put_text(end, "\nkilled_at_ms=");
    end = put_number(end, now_ms(CLOCK_WALL));
    end = put_text(end, "\n");
    long fd = sys_open(record, OPEN_WRITE_NEW);
    if (fd >= 0) {
        sys_write((int) fd, text, end - text);
        sys_close((int) fd);
    }
}

/* "cpu_ms=N\nmax_rss_kb=N\nleftovers=N\nstatus=N\n" to standard output (best effort: the worker falls back on
 * sampling and on waiting for the guardian's end) */
static void write_usage(const struct resource_usage *usage, long leftovers, int status) {
    char text[144];
    long cpu_ms = (usage->user_seconds + usage->system_seconds) * 1000
            + (usage->user_microseconds + usage->system_microseconds) / 1000;
    char *end = put_text(text, "cpu_ms=");
    end = put_number(end, cpu_ms);
    end = put_text(end, "\nmax_rss_kb=");
    end = put_number(end, usage->max_rss_kb);
    end = put_text(end, "\nleftovers=");
    end = put_number(end, leftovers);
    end = put_text(end, "\nstatus=");
    end = put_number(end, status & 0xffff);
    end = put_text(end, "\n");
    sys_write(1, text, end - text);
}

/* adds what wait4 counted of one reaped process to total: CPU times summed, the largest peak resident set */
static void add_usage(struct resource_usage *total, const struct resource_usage *one) {
    total->user_seconds += one->user_seconds;
    total->user_microseconds += one->user_microseconds;
    total->system_seconds += one->system_seconds;
    total->system_microseconds += one->system_microseconds;
    if (one->max_rss_kb > total->max_rss_kb) {
        total->max_rss_kb = one->max_rss_kb;
    }
}

/*
 * SIGKILLs and reaps every descendant the tool left behind: the subreaper inherits each orphan, and the kernel
 * lists the guardian's children in /proc. Rounds go on while any is left (one may fork between two rounds), a
 * millisecond apart, for at most KILL_ROUNDS; returns how many children were there in the last round (0: none).
 * What each reaped one used is added to usage.
 */
#define KILL_ROUNDS 500
static long kill_leftovers(struct resource_usage *usage) {
    char path[64];
    long self = sys_getpid();
    char *end = put_text(path, "/proc/");
    end = put_number(end, self);
    end = put_text(end, "/task/");
    end = put_number(end, self);
    end = put_text(end, "/children");
    *end = '\0';
    char list[4096];
    long found = 0;
    for (int round = 0; round < KILL_ROUNDS; round++) {
        int status = 0;
        struct resource_usage one;
        while (sys_wait4(-1, &status, &one) > 0) {
            add_usage(usage, &one);
        }
        long fd = sys_open(path, OPEN_READ);
        if (fd < 0) {
            return 1;
        }
        long got = sys_read((int) fd, list, sizeof list - 1);
        sys_close((int) fd);
        if (got <= 0) {
            return got == 0 ? 0 : 1;
        }
        found = 0;
        long pid = 0;
        for (long i = 0; i < got; i++) {
            if (list[i] >= '0' && list[i] <= '9') {
                pid = pid * 10 + (list[i] - '0');
            } else if (pid > 0) {
                sys_kill(pid, SIGNAL_KILL);
                found++;
                pid = 0;
            }
        }
        struct poll_entry none = {-1, 0, 0};
        sys_poll(&none, 0, 1);
    }
    return found;
}

static void kill_group(void) {
    sys_kill(0, SIGNAL_KILL);
    sys_exit(128 + SIGNAL_KILL);
}

/*
 * exec_failed: the write end of the guardian's exec pipe; one byte on it says the exec failed. log (or 0): the
 * file both outputs are appended to; cwd (or 0): the directory to run in.
 */
static void start_child(char **argv, char **envp, long guardian, int usage, int exec_failed, const char *log,
                        const char *cwd) {
    sys_default(SIGNAL_TERM);
    sys_default(SIGNAL_INT);
    sys_default(SIGNAL_HUP);
    sys_default(SIGNAL_QUIT);
    sys_unblock(SIGNAL_CHLD);
    long result = sys_prctl_pdeathsig(SIGNAL_KILL);
    if (result < 0) {
        sys_exit(fail("cannot set the parent-death signal", "", result));
    }
    if (sys_getppid() != guardian) {
        sys_exit(CANNOT_START);
    }
    if (log != 0) {
        long out = sys_open(log, OPEN_APPEND);
        if (out < 0 || sys_dup2((int) out, 1) < 0 || sys_dup2((int) out, 2) < 0) {
            sys_write(exec_failed, "x", 1);
            sys_exit(fail("cannot open the log ", log, out < 0 ? out : -9));
        }
        sys_close((int) out);
    }
    if (cwd != 0 && cwd[0] != '\0') {
        result = sys_chdir(cwd);
        if (result < 0) {
            sys_write(exec_failed, "x", 1);
            sys_exit(fail("cannot enter ", cwd, result));
        }
    }
    long empty = sys_open("/dev/null", OPEN_READ);
    if (empty < 0 || sys_dup2((int) empty, 0) < 0) {
        sys_exit(fail("cannot open ", "/dev/null", empty < 0 ? empty : -9));
    }
    sys_close((int) empty);
    if (usage && sys_dup2(2, 1) < 0) {
        sys_exit(fail("cannot send the output to ", "standard error", -9));
    }
    result = sys_execve(argv[0], argv, envp);
    sys_write(exec_failed, "x", 1);
    sys_exit(fail("cannot run ", argv[0], result));
}

/* What a child needs to become a command (see start_child); it reads it from its parent's memory. */
struct child_start {
    char **argv;
    char **envp;
    long guardian;
    int usage;
    int exec_watch;
    int exec_failed;
    const char *log;
    const char *cwd;
};

/* The child's stack (see sys_spawn): one child at a time starts, and its parent waits until it has. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

static void child_main(void *arg) {
    struct child_start *start = arg;
    sys_close(start->exec_watch);
    start_child(start->argv, start->envp, start->guardian, start->usage, start->exec_failed, start->log, start->cwd);
}

/*
 * exec_fd (-1: done already) reaches its end once the child has executed its command or ended: "started=1" to
 * standard output when it ended empty (the exec succeeded); nothing when the child wrote that its exec failed.
 */
static void report_exec(int exec_fd, int usage_out) {
    if (exec_fd < 0) {
        return;
    }
    char failed;
    long got = sys_read(exec_fd, &failed, 1);
    sys_close(exec_fd);
    if (got == 0 && usage_out) {
        sys_write(1, "started=1\n", 10);
    }
}

/* the 8-byte little-endian number at bytes */
static long message_at(const unsigned char *bytes) {
    unsigned long value = 0;
    for (int i = 7; i >= 0; i--) {
        value = (value << 8) | bytes[i];
    }
    return (long) value;
}

/*
 * Waits for the child, reading pings and leases from standard input; returns its wait status once it has
 * ended, its leftovers are gone and its report is written. The pipe is looked at
 * before the silence is judged: a guardian that was itself stopped (its whole group paused with SIGSTOP) finds
 * the pings the worker sent meanwhile waiting, and does not take its own pause for the worker's. Every write of
 * the worker is one 8-byte message, and a pipe write of up to PIPE_BUF bytes is atomic, so reads of a multiple
 * of 8 bytes never split one.
 */
static int guard(long child, long ended_fd, long exec_fd, long guard_ms, const char *record, int usage_out) {
    struct poll_entry entries[3] = {{0, READABLE, 0}, {(int) ended_fd, READABLE, 0}, {(int) exec_fd, READABLE, 0}};
    unsigned char buffer[128];
    long last_ping = now_ms(CLOCK_BOOT);
    long lease = 0;
    for (;;) {
        int status = 0;
        struct resource_usage usage;
        if (sys_wait4(child, &status, &usage) == child) {
            report_exec(entries[2].fd, usage_out);
            long leftovers = kill_leftovers(&usage);
            if (usage_out) {
                write_usage(&usage, leftovers, status);
            }
            return status;
        }
        long now = now_ms(CLOCK_BOOT);
        long kill_at = last_ping + guard_ms > lease ? last_ping + guard_ms : lease;
        long ready = sys_poll(entries, 3, now >= kill_at ? 0 : kill_at - now);
        if (ready < 0 && ready != -ERROR_INTERRUPTED) {
            kill_group();
        }
        if (ready > 0 && entries[1].returned != 0) {
            sys_read((int) ended_fd, (char *) buffer, sizeof buffer);
        }
        if (ready > 0 && entries[2].returned != 0) {
            report_exec(entries[2].fd, usage_out);
            entries[2].fd = -1;
        }
        if (ready > 0 && entries[0].returned != 0) {
            long got = sys_read(0, (char *) buffer, sizeof buffer);
            if (got == 0 || (got < 0 && got != -ERROR_INTERRUPTED && got != -ERROR_AGAIN)) {
                /* the worker is gone: nobody will report this run, and its chunk is someone else's now */
                kill_group();
            }
            for (long at = 0; at + 8 <= got; at += 8) {
                long message = message_at(buffer + at);
                if (message == 0) {
                    last_ping = now_ms(CLOCK_BOOT);
                } else {
                    lease = message;
                }
            }
            if (got > 0) {
                continue;
            }
        }
        now = now_ms(CLOCK_BOOT);
        if (ready == 0 && now - last_ping >= guard_ms && now >= lease) {
            write_record(record, now - last_ping, guard_ms, lease > 0 ? now - lease : -1);
            kill_group();
        }
    }
}

/*
 * A resident guardian's command, as the worker writes it down the standard input: the 8-byte COMMAND_MARK (no
 * ping or lease is ever that number), an 8-byte little-endian length, then that many bytes of NUL-terminated strings: the log, the directory to run in (empty: the
 * worker's), the number of arguments, the arguments (the first is the command's path), then the variables to
 * set on top of the inherited environment (KEY=VALUE).
 */
#define COMMAND_MARK (-1L)
#define BLOCK_MAX (1L << 20)
#define MAX_ARGS 32768
#define MAX_ENV 32768
static char block[BLOCK_MAX + 1];
static char *command_argv[MAX_ARGS + 1];
static char *command_env[MAX_ENV + 1];

/* fills into with exactly length bytes from standard input; 0 when it ends first */
static int read_exactly(char *into, long length) {
    long have = 0;
    while (have < length) {
        long got = sys_read(0, into + have, length - have);
        if (got == -ERROR_INTERRUPTED) {
            continue;
        }
        if (got <= 0) {
            return 0;
        }
        have += got;
    }
    return 1;
}

/* fills block with exactly length bytes from standard input, NUL-terminated; 0 when it ends first */
static int read_block(long length) {
    if (!read_exactly(block, length)) {
        return 0;
    }
    block[length] = '\0';
    return 1;
}

/* the length of KEY in "KEY=VALUE" */
static long key_length(const char *entry) {
    long n = 0;
    while (entry[n] != '\0' && entry[n] != '=') {
        n++;
    }
    return n;
}

static int same_key(const char *a, const char *b) {
    long n = key_length(a);
    if (n != key_length(b)) {
        return 0;
    }
    for (long i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* the string after the one at text, within the block's end; 0 at the end */
static char *next_string(char *text, const char *end) {
    while (text < end && *text != '\0') {
        text++;
    }
    return text + 1 < end ? text + 1 : 0;
}

static int set_up_guardian(const char *what) {
    long result = sys_setsid();
    if (result < 0) {
        return fail("cannot start a new session", "", result);
    }
    sys_ignore(SIGNAL_TERM);
    sys_ignore(SIGNAL_INT);
    sys_ignore(SIGNAL_HUP);
    sys_ignore(SIGNAL_QUIT);
    sys_block(SIGNAL_CHLD);
    long ended_fd = sys_signal_fd(SIGNAL_CHLD);
    if (ended_fd < 0) {
        return -fail("cannot watch for the end of ", what, ended_fd);
    }
    result = sys_prctl_subreaper();
    if (result < 0) {
        return -fail("cannot become the subreaper of ", what, result);
    }
    return (int) ended_fd;
}

static int launch(char **command, char **envp, long ended_fd, long guard_ms, const char *record, int usage,
                  const char *log, const char *cwd);

/* the next 8-byte message on standard input: 1 when read, 0 when the input ended first */
static int read_message(long *message) {
    unsigned char bytes[8];
    if (!read_exactly((char *) bytes, 8)) {
        return 0;
    }
    *message = message_at(bytes);
    return 1;
}

/*
 * Reads the next command (see block) into command_argv and command_env. Pings and leases of the run before, sent
 * before the worker read its report, are passed over. Returns 1 with a command, 0 when the input ended first,
 * -1 for a command it cannot run.
 */
static int next_command(char **envp, char **log, char **cwd) {
    long message = 0;
    do {
        if (!read_message(&message)) {
            return 0;
        }
    } while (message != COMMAND_MARK);
    long length;
    if (!read_message(&length)) {
        return 0;
    }
    if (length <= 0 || length > BLOCK_MAX) {
        say("dp3q-exec: a command must be 1 to 1048576 bytes\n");
        return -1;
    }
    if (!read_block(length)) {
        return 0;
    }
    const char *end = block + length;
    *log = block;
    *cwd = next_string(*log, end);
    char *count = *cwd == 0 ? 0 : next_string(*cwd, end);
    long argc = count == 0 ? -1 : parse_number(count);
    if (argc < 1 || argc > MAX_ARGS) {
        say("dp3q-exec: a command has no arguments\n");
        return -1;
    }
    char *text = count;
    for (long i = 0; i < argc; i++) {
        text = next_string(text, end);
        if (text == 0) {
            say("dp3q-exec: a command ends before its arguments do\n");
            return -1;
        }
        command_argv[i] = text;
    }
    command_argv[argc] = 0;
    long envc = 0;
    for (text = next_string(text, end); text != 0 && envc < MAX_ENV; text = next_string(text, end)) {
        command_env[envc++] = text;
    }
    long added = envc;
    for (char **inherited = envp; *inherited != 0 && envc < MAX_ENV; inherited++) {
        int replaced = 0;
        for (long i = 0; i < added && !replaced; i++) {
            replaced = same_key(*inherited, command_env[i]);
        }
        if (!replaced) {
            command_env[envc++] = *inherited;
        }
    }
    command_env[envc] = 0;
    return 1;
}

static int launch(char **command, char **envp, long ended_fd, long guard_ms, const char *record, int usage,
                  const char *log, const char *cwd);

/*
 * --resident: sets up as a guardian, then runs each command that comes on standard input (see next_command), one
 * at a time: it guards and reports each, then waits for the next. The worker starts one per slot before the
 * slot's first task, so no task's start waits for a process start of the worker's own. Ends quietly when the
 * input ends while no command runs (the worker closed it, or is gone).
 */
static int run_resident(char **envp, long guard_ms, const char *record) {
    int ended_fd = set_up_guardian("a resident guardian");
    if (ended_fd < 0) {
        return -ended_fd;
    }
    for (;;) {
        char *log = 0;
        char *cwd = 0;
        int got = next_command(envp, &log, &cwd);
        if (got <= 0) {
            return got == 0 ? 0 : CANNOT_START;
        }
        if (launch(command_argv, command_env, ended_fd, guard_ms, record, 1, log, cwd) < 0) {
            return CANNOT_START;
        }
    }
}

static int run_guarded(char **command, char **envp, long guard_ms, const char *record, int usage) {
    int ended_fd = set_up_guardian(command[0]);
    if (ended_fd < 0) {
        return -ended_fd;
    }
    int status = launch(command, envp, ended_fd, guard_ms, record, usage, 0, 0);
    if (status < 0) {
        return CANNOT_START;
    }
    end_like(status);
    return CANNOT_START;
}

static int launch(char **command, char **envp, long ended_fd, long guard_ms, const char *record, int usage,
                  const char *log, const char *cwd) {
    /* closed by the child's exec (close-on-exec), or written to when that exec fails */
    int exec_pipe[2];
    long result = sys_pipe_cloexec(exec_pipe);
    if (result < 0) {
        fail("cannot watch the start of ", command[0], result);
        return -1;
    }
    struct child_start start = {command, envp, sys_getpid(), usage, exec_pipe[0], exec_pipe[1], log, cwd};
    long child = sys_spawn(child_main, &start, child_stack + sizeof child_stack);
    if (child < 0) {
        fail("cannot start ", command[0], child);
        sys_close(exec_pipe[0]);
        sys_close(exec_pipe[1]);
        return -1;
    }
    sys_close(exec_pipe[1]);
    return guard(child, ended_fd, exec_pipe[0], guard_ms, record, usage);
}

static int run(int argc, char **argv, char **envp) {
    if (argc == 2 && equal(argv[1], "--check")) {
        return 0;
    }
    long guard_ms = -1;
    const char *record = 0;
    int usage = 0;
    int resident = 0;
    int separator = 2;
    for (; separator < argc && !equal(argv[separator], "--"); separator++) {
        if (after(argv[separator], "--guard=") != 0) {
            guard_ms = parse_number(after(argv[separator], "--guard="));
        } else if (after(argv[separator], "--record=") != 0) {
            record = after(argv[separator], "--record=");
        } else if (equal(argv[separator], "--usage")) {
            usage = 1;
        } else if (equal(argv[separator], "--resident")) {
            resident = 1;
        } else {
            separator = argc;
        }
    }
    int resident_ok = resident && usage && guard_ms > 0 && separator >= argc - 1;
    if ((argc < 4 || separator + 1 >= argc || (guard_ms >= 0) != (record != 0) || guard_ms == 0
            || (separator > 2 && guard_ms < 0) || (usage && guard_ms < 0) || resident) && !resident_ok) {
        say("usage: dp3q-exec PARENT_PID [--guard=MS --record=PATH [--usage]] -- COMMAND [ARG...]\n"
            "       dp3q-exec PARENT_PID --guard=MS --record=PATH --usage --resident   (commands on stdin)\n");
        return CANNOT_START;
    }
    long parent = parse_number(argv[1]);
    if (parent <= 1) {
        say("dp3q-exec: not a parent pid: ");
        say(argv[1]);
        say("\n");
        return CANNOT_START;
    }
    long result = 0;
    if (guard_ms < 0) {
        result = sys_prctl_pdeathsig(SIGNAL_KILL);
        if (result < 0) {
            return fail("cannot set the parent-death signal", "", result);
        }
    }
    if (sys_getppid() != parent) {
        /* the worker is already gone: its chunk is someone else's now */
        return CANNOT_START;
    }
    if (resident) {
        return run_resident(envp, guard_ms, record);
    }
    if (guard_ms > 0) {
        return run_guarded(argv + separator + 1, envp, guard_ms, record, usage);
    }
    result = sys_setsid();
    if (result < 0) {
        return fail("cannot start a new session", "", result);
    }
    result = sys_execve(argv[separator + 1], argv + separator + 1, envp);
    return fail("cannot run ", argv[separator + 1], result);
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
