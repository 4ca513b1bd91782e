/* SPDX-License-Identifier: MIT */
/* The one piece of global state in the CLI: which signal asked it to stop.
 * A handler may only touch a volatile sig_atomic_t, and the read loop polls it. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig) {
    if (caught) _exit(128 + sig); /* asked twice: the user wants out now, whatever is left behind */
    caught = sig;
}

int interrupt_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: see interrupt.h */
    return sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ? -1 : 0;
}

int interrupt_signal(void) { return caught; }
