"""The options that send the rule path to a Dask cluster, shared by ``extract`` and ``serve``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from ..config import Settings
from ..errors import MissingExtra

if TYPE_CHECKING:
    from ..batch.cluster import ClusterPool


def cluster_options(send: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add ``--cluster`` and ``--cluster-send`` (``send`` its default: paths for a batch, bytes for the
    service, whose uploads live on its own disk); the command receives ``cluster`` and ``cluster_send``."""
    def add(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--cluster-send", type=click.Choice(["paths", "bytes"]), default=send, show_default=True,
            help="Send the workers each document's path (storage they share) or its bytes.")(command)
        return click.option(
            "--cluster", default=None, metavar="ADDRESS",
            help="Run the rule path on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
                 "needs the [cluster] extra here and on the workers.")(command)

    return add


def connect(address: str, send: str, settings: Settings) -> ClusterPool:
    """A pool on the cluster at ``address``, connected now so that a wrong address fails before any work."""
    try:
        from ..batch.cluster import ClusterPool
    except ImportError as exc:
        raise click.UsageError(MissingExtra.of(exc, "--cluster").message) from exc
    pool = ClusterPool(settings, address, send=send)
    try:
        pool.workers  # noqa: B018 - connects
    except (OSError, TimeoutError) as exc:
        raise click.UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    return pool


@contextmanager
def closing_pool(pool: ClusterPool | None) -> Iterator[None]:
    """Disconnect from the cluster at the end (its workers go on serving others)."""
    try:
        yield
    finally:
        if pool is not None:
            pool.close()
