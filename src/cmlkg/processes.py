"""Child processes that end with their parent: build workers, the input reader, query workers."""

from __future__ import annotations

import os


def child_of(parent: int) -> None:
    """Make this process end with ``parent``, however the parent ends, and leave Ctrl-C to it.

    Linux sends the child SIGKILL when the thread that started it ends (``PR_SET_PDEATHSIG``): call it
    only in children started by the main thread, which ends with the process. A build killed by
    ``kill -9``, the OOM killer or a cancelled CI job then leaves no worker behind (nor the resource
    tracker that waits for the workers). Ctrl-C is the parent's to handle: the children
    ignore it, so it gives one message, not a traceback per child.
    """
    import ctypes
    import signal

    ignore_interrupts()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent still ends its children when it closes
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def ignore_interrupts() -> None:
    """Leave Ctrl-C to the parent, which ends this process: one message, not a traceback per child."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
