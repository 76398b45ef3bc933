/*
 * A DP3 stand-in in C for the benchmark: the same arguments and the same record format as
 * examples/standin/dp3-standin, without the cost of a shell, date(1) and sleep(1) per run.
 *
 * It appends to $STANDIN_RECORD (one write(2) per line, O_APPEND, so lines of concurrent runs never mix):
 *   start <ns> <pid> <worker pid> <args...>   ($DP3Q_WORKER_PID, else the parent's pid)
 *   end <ns> <pid> <code>
 * with <ns> from CLOCK_REALTIME, and behaves as its standin.* arguments say:
 *   standin.sleep=SECONDS  run this long (fractional)     standin.exit=CODE  exit with CODE
 *   standin.stderr=TEXT    print TEXT to stderr before exiting
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 65536

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void append(int fd, const char *line, size_t length) {
    if (fd < 0) {
        return;
    }
    while (write(fd, line, length) < 0 && errno == EINTR) {
    }
}

static void sleep_seconds(double seconds) {
    if (seconds <= 0) {
        return;
    }
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long long ns = (long long) (seconds * 1e9);
    until.tv_sec += ns / 1000000000LL;
    until.tv_nsec += ns % 1000000000LL;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
    }
}

int main(int argc, char **argv) {
    long long started = now_ns();
    double sleep_s = 0;
    int code = 0;
    const char *message = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "standin.sleep=", 14) == 0) {
            sleep_s = strtod(argv[i] + 14, NULL);
        } else if (strncmp(argv[i], "standin.exit=", 13) == 0) {
            code = atoi(argv[i] + 13);
        } else if (strncmp(argv[i], "standin.stderr=", 15) == 0) {
            message = argv[i] + 15;
        }
    }
    const char *path = getenv("STANDIN_RECORD");
    int fd = open(path && *path ? path : "/dev/null", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

    static char line[LINE_MAX_BYTES];
    const char *worker = getenv("DP3Q_WORKER_PID");
    int n = snprintf(line, sizeof line, "start %lld %d %d", started, (int) getpid(),
                     worker && *worker ? atoi(worker) : (int) getppid());
    for (int i = 1; i < argc && n < (int) sizeof line - 1; i++) {
        n += snprintf(line + n, sizeof line - n, " %s", argv[i]);
    }
    if (n > (int) sizeof line - 2) {
        n = (int) sizeof line - 2;
    }
    line[n++] = '\n';
    append(fd, line, (size_t) n);

    /* what the shell stand-in prints, so the attempt log looks the same */
    int m = snprintf(line, sizeof line, "DP3 stand-in:");
    for (int i = 1; i < argc && m < (int) sizeof line - 1; i++) {
        m += snprintf(line + m, sizeof line - m, " %s", argv[i]);
    }
    if (m > (int) sizeof line - 2) {
        m = (int) sizeof line - 2;
    }
    line[m++] = '\n';
    append(STDOUT_FILENO, line, (size_t) m);

    sleep_seconds(sleep_s);
    if (message) {
        fprintf(stderr, "%s\n", message);
        fflush(stderr);
    }
    n = snprintf(line, sizeof line, "end %lld %d %d\n", now_ns(), (int) getpid(), code);
    append(fd, line, (size_t) n);
    return code;
}
