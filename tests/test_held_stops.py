"""Stops held while Hydra composes the config (``lbn_sim.folders.hold_stops``): remembered,
not acted on, then raised as :class:`Stopped` once released; nothing else changes."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from lbn_sim import folders
from lbn_sim.folders import (
    HELD,
    RECEIVED,
    STOPS,
    Stopped,
    hold_stops,
    raise_held,
    release_stops,
    stop_on,
)


@pytest.fixture(autouse=True)
def handlers_restored() -> Iterator[None]:
    before = {sig: signal.getsignal(sig) for sig in STOPS}
    HELD.clear()
    RECEIVED.clear()
    yield
    HELD.clear()
    RECEIVED.clear()
    for sig, handler in before.items():
        signal.signal(sig, handler)


def test_a_held_stop_is_remembered_then_raised_on_release() -> None:
    assert hold_stops()
    signal.raise_signal(signal.SIGTERM)  # remembered, not acted on: this line returns
    signal.raise_signal(signal.SIGINT)
    assert HELD == [signal.SIGTERM, signal.SIGINT]
    with pytest.raises(Stopped) as stopped:
        release_stops()
    assert stopped.value.signum == signal.SIGTERM  # the first one
    # From now on a stop acts at once.
    assert all(signal.getsignal(sig) is stop_on for sig in STOPS)
    with pytest.raises(Stopped):
        signal.raise_signal(signal.SIGINT)


def test_release_without_a_stop_only_restores_acting_on_stops() -> None:
    hold_stops()
    release_stops()
    assert all(signal.getsignal(sig) is stop_on for sig in STOPS)
    # A second release, or one where nothing was held, changes nothing.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    release_stops()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_signal_stays_ignored() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    hold_stops()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is folders._hold
    release_stops()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN


def test_every_stop_received_is_remembered_held_or_not() -> None:
    hold_stops()
    signal.raise_signal(signal.SIGTERM)
    with pytest.raises(Stopped) as held:
        raise_held()  # between steps of long held work: the first held stop
    assert held.value.signum == signal.SIGTERM
    with pytest.raises(Stopped):
        release_stops()
    with pytest.raises(Stopped):
        signal.raise_signal(signal.SIGINT)  # acted on at once now, and remembered too
    assert RECEIVED == [signal.SIGTERM, signal.SIGINT]


def test_release_where_nothing_was_held_raises_nothing_even_after_a_stop() -> None:
    # A stop remembered from earlier (HELD not empty) but handlers not holding: no raise.
    HELD.append(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    release_stops()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
