"""Keep a worker process from outliving the process that started it, even one killed with SIGKILL.

A stock process pool's workers outlive a SIGKILLed owner: they wait on a pipe that nobody
closes. `guard`, called first thing in a worker (a pool's initializer), sets two guards where
the system has them: PR_SET_PDEATHSIG (Linux), the kernel's signal when the worker's own parent
dies (the owner under fork and spawn, the forkserver under forkserver); and a thread that ends
the worker as soon as the owner is gone, whoever its parent is. That thread waits on a pidfd
of the owner; where pidfds are absent or refused (other systems, a seccomp filter), it polls
instead. A guard the system refuses is lost, never the worker.
"""

import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 0.5  # how often the fallback watcher looks for the owner


def guard(owner: int) -> None:
    """Make this process die with its parent and with `owner` (a pool's initializer)."""
    if sys.platform.startswith("linux"):
        _die_with_parent(signal.SIGKILL)
    parent = os.getppid()
    try:
        owner_fd = os.pidfd_open(owner)
    except ProcessLookupError:  # gone before this worker got here
        os._exit(1)
    except (AttributeError, OSError):  # no pidfds here, or refused (EPERM, ENOSYS)
        watch, args = _poll_for, (owner, parent)
    else:
        watch, args = _exit_with, (owner_fd,)
    threading.Thread(target=watch, args=args, name="owner-watch", daemon=True).start()


def _die_with_parent(signal_number: int) -> None:
    """Linux: have the kernel send this process `signal_number` when its parent dies (a
    refusal is ignored: the other guards still apply)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal_number)


def _exit_with(owner_fd: int) -> None:
    select.select([owner_fd], [], [])  # a pidfd turns readable when its process has exited
    os._exit(1)


def _poll_for(owner: int, parent: int) -> None:
    """Exit once the owner is gone, or this process's parent (then it was reparented)."""
    while os.getppid() == parent and _exists(owner):
        time.sleep(POLL_SECONDS)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True
