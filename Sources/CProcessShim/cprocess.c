#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cprocess.h"

int cprocess_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], int stdin_fd,
                   int stdout_fd, int stderr_fd, const char *directory, int new_session, int new_group) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t empty, all;
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    int status;

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (directory) posix_spawn_file_actions_addchdir_np(&actions, directory);

    posix_spawnattr_init(&attributes);
    sigemptyset(&empty);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setsigdefault(&attributes, &all);
    if (new_session) flags |= POSIX_SPAWN_SETSID;
    if (new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attributes, 0);
    }
    posix_spawnattr_setflags(&attributes, flags);

    status = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

int cprocess_has_exited(pid_t pid, int *status) {
    siginfo_t info;
    info.si_pid = 0;
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -1;
    if (info.si_pid == 0) return 0;
    if (info.si_code == CLD_EXITED) *status = (info.si_status & 0xFF) << 8;
    else *status = info.si_status & 0x7F;
    return 1;
}

int cprocess_reap(pid_t pid, int *status) {
    pid_t result;
    do { result = waitpid(pid, status, WNOHANG); } while (result < 0 && errno == EINTR);
    if (result < 0) return -1;
    return result == pid ? 1 : 0;
}

int cprocess_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int cprocess_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cprocess_name_thread(const char *name) { return pthread_setname_np(pthread_self(), name); }
