#ifndef CPROCESS_H
#define CPROCESS_H
/* GNU extensions the stdio transport needs and Swift's Glibc module does not expose. */
#include <spawn.h>

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec, so no child inherits another server's pipes. */
int cprocess_pipe_cloexec(int fds[2]);
/* posix_spawn_file_actions_addchdir_np (glibc 2.29+). */
int cprocess_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/* posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor from
   lowfd up, so it inherits nothing its parent did not mean to give it (not even descriptors that
   lack close-on-exec, such as those a parent's own launcher leaked into it). */
int cprocess_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd);
/* POSIX_SPAWN_SETSID (glibc 2.26+): the child starts its own session. */
short cprocess_flag_setsid(void);
#endif
