"""Blocks of whole wards on a pool of threads, with every random draw made as one thread would.

The household rules and the start year's solvers run over blocks of whole wards
(:meth:`lbn_sim.engine.households.WardSegments.block_rows`), each block's arithmetic
independent of the others'. :func:`map_blocks` runs that arithmetic on up to ``threads``
threads (NumPy lets go of the interpreter's lock inside its loops, so the blocks' passes run
on several cores at once) while the blocks, and whatever random numbers each needs, are
taken in the calling thread, one block after another in order. A generator is therefore
drawn from in exactly the order of the plain loop, each block's arithmetic is the same
operations on the same values, and the results come back in block order for the caller to
combine in that order: the same bytes on any number of threads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Blocks taken (and their random numbers drawn) ahead of the oldest block not yet done, per
#: thread: enough to keep every thread busy, few enough that the drawn numbers held at once
#: stay a few blocks' worth (a block's two float32 uniforms per household: 1 MiB).
AHEAD_PER_THREAD = 2


def map_blocks(work: Callable[[T], R], items: Iterable[T], threads: int) -> list[R]:
    """``[work(item) for item in items]``, the calls to ``work`` on up to ``threads`` threads.

    ``items`` is iterated in the calling thread, in order and lazily (at most
    ``AHEAD_PER_THREAD * threads`` items ahead of the oldest call not yet finished), so a
    generator that draws each block's random numbers draws them exactly as a loop on one
    thread would. ``work`` must not draw random numbers, and must write only its own
    block's rows of any shared array. With ``threads`` 1 (or one item) nothing is started:
    ``work`` runs in the calling thread, item after item.

    Args:
        work: one block's arithmetic; its result is returned, not combined here.
        items: one item per block, in block order (a block's bounds and its draws).
        threads: threads to run ``work`` on (>= 1).

    Returns:
        ``work``'s results in the order of ``items``.

    Raises:
        Whatever a call of ``work`` raised first (in block order); blocks not yet started
        are cancelled.
    """
    return list(imap_blocks(work, items, threads, AHEAD_PER_THREAD * threads))


def imap_blocks(
    work: Callable[[T], R], items: Iterable[T], threads: int, ahead: int | None
) -> Iterator[R]:
    """:func:`map_blocks`'s results one at a time, in order, as they are done: the caller can
    work on the first blocks' results (in its own thread) while the pool works on the rest.

    ``ahead``: items taken beyond the oldest call not yet finished (None: every item is
    taken, and its call submitted, before the first result is handed back). With
    ``threads`` 1 (or one item) each item is taken and worked on as its result is asked
    for, in the calling thread. Closing the iterator early cancels the calls not started.
    """
    iterator = iter(items)
    head = list(islice(iterator, 2))
    if threads <= 1 or len(head) < 2:
        yield from (work(item) for item in chain(head, iterator))
        return
    limit = ahead if ahead is not None else -1
    pending: deque[Future[R]] = deque()
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lbn_sim-blocks")
    try:
        for item in chain(head, iterator):
            pending.append(pool.submit(work, item))
            if 0 <= limit < len(pending):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
