/* SPDX-License-Identifier: MIT */
/* SIGINT and SIGTERM while a command writes (interrupt.c). */
#ifndef LAKE_CLI_INTERRUPT_H
#define LAKE_CLI_INTERRUPT_H

/* From now on the first SIGINT or SIGTERM only records itself, for the
 * command to abort cleanly; a second one exits at once with 128 + its
 * number. Installed without SA_RESTART, so a read blocked on stdin returns
 * (EINTR) and the command notices. 0, or -1 with errno. */
int interrupt_install(void);
/* The signal caught so far, or 0. */
int interrupt_signal(void);

#endif
