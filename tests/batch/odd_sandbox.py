"""A sandbox child that misbehaves on purpose: stuck where no alarm reaches it (as in a C library) on a
document named ``stuck.txt``, dead on ``crash.txt``; every other document as the real child reads it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from extractor.batch import sandbox

real = sandbox.extract_tasks


def odd(tasks: list[sandbox.SandboxTask], settings: sandbox.Settings) -> list[sandbox.Finished]:
    if any(Path(path).name == "stuck.txt" for path, _, _ in tasks):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    if any(Path(path).name == "crash.txt" for path, _, _ in tasks):
        os._exit(9)
    return real(tasks, settings)


if __name__ == "__main__":
    sandbox.extract_tasks = odd
    sandbox.main()
