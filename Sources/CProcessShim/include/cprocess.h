#ifndef CPROCESS_H
#define CPROCESS_H
/* Process start-up the stdio transport, the tests and the soak share, with the GNU extensions Swift's
   Glibc module does not expose. */
#include <spawn.h>
#include <sys/types.h>

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec, so no child inherits another server's pipes. */
int cprocess_pipe_cloexec(int fds[2]);

/* Starts `path` with NULL-terminated `argv` and `envp`. The child's stdin, stdout and stderr are
   `stdin_fd`, `stdout_fd` and `stderr_fd`, and every other descriptor is closed
   (posix_spawn_file_actions_addclosefrom_np, glibc 2.34+), so it inherits nothing its parent did not mean to
   give it, not even descriptors that lack close-on-exec. Its signal mask is empty and every signal has its
   default disposition (a child of a Swift program otherwise inherits blocked signals, and SIGTERM would do
   nothing). `new_session` starts its own session (POSIX_SPAWN_SETSID), `new_group` its own process group;
   `directory`, when not NULL, is its working directory. Returns 0, or an errno value. */
int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], int stdin_fd,
                   int stdout_fd, int stderr_fd, const char *directory, int new_session, int new_group);

/* Whether `pid` has exited, without reaping it (waitid with WNOWAIT | WNOHANG), so its process id, and
   with it its process group id, stays reserved while the group is signalled. Returns 1 and sets `status`
   (in waitpid's encoding) when it has exited, 0 while it runs, -1 on error (errno set). */
int cprocess_has_exited(pid_t pid, int *status);

/* waitpid(pid, status, WNOHANG): 1 when reaped, 0 while it runs, -1 on error. */
int cprocess_reap(pid_t pid, int *status);

/* pidfd_open(pid, 0): a close-on-exec descriptor that poll(2) reports readable once `pid` has exited (a
   zombie included), or -1 (errno set: ENOSYS before Linux 5.3, EPERM under some seccomp filters, EMFILE). */
int cprocess_pidfd_open(pid_t pid);

/* pthread_setname_np on the calling thread (at most 15 characters reach the kernel): 0, or an errno value. */
int cprocess_name_thread(const char *name);

/* O_NONBLOCK on `fd`: 0, or -1 on error. */
int cprocess_set_nonblocking(int fd);
#endif
