"""The collector paused during a page's request, and running again after it."""

from __future__ import annotations

import gc
import threading

from beancount_freelance.fava_extension.collector import collector_paused


def test_the_collector_runs_again_after_the_last_request() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # a second request, in another thread
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first one has not ended
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_in_the_request_turns_it_on_again() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_threads_that_overlap_leave_it_on() -> None:
    started = threading.Barrier(4)

    def request() -> None:
        with collector_paused():
            started.wait()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
