"""Keep a worker process from outliving the process that started it, even one killed with SIGKILL.

A stock process pool's workers outlive a SIGKILLed owner: they wait on a pipe that nobody
closes. `guard`, called first thing in a worker (a pool's initializer), sets two guards:
PR_SET_PDEATHSIG, the kernel's signal when the worker's own parent dies (the owner under fork
and spawn, the forkserver under forkserver), and a thread that waits on a pidfd of the owner
and ends the worker as soon as the owner is gone, whoever its parent is.
"""

import ctypes
import os
import select
import signal
import threading

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def guard(owner: int) -> None:
    """Make this process die with its parent and with `owner` (a pool's initializer)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        owner_fd = os.pidfd_open(owner)
    except ProcessLookupError:  # gone before this worker got here
        os._exit(1)
    threading.Thread(target=_exit_with, args=(owner_fd,), name="owner-watch", daemon=True).start()


def _exit_with(owner_fd: int) -> None:
    select.select([owner_fd], [], [])  # a pidfd turns readable when its process has exited
    os._exit(1)
