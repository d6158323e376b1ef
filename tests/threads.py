"""Running a piece of work in a transaction of its own, on a thread of its own, for the tests
of what two transactions do at once."""

import threading

from django.db import connection, transaction


def in_a_thread(work) -> threading.Thread:
    """Start `work` inside its own transaction on a new thread (its own connection, closed
    when it ends); join the thread to wait for the commit."""
    def run():
        try:
            with transaction.atomic():
                work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def one_while_the_other_holds(first, second, *, hold: float = 0.5) -> None:
    """Run `first` in a transaction of its own; once its work is done, while it still holds
    its locks (`hold` seconds before it commits), start `second` the same way. Wait for both;
    fail the test if either has not finished."""
    done = threading.Event()

    def holding(work):
        def run():
            work()
            done.set()
            threading.Event().wait(hold)  # keeps its transaction, and its locks, open
        return run

    threads = [in_a_thread(holding(first))]
    assert done.wait(timeout=10)
    threads.append(in_a_thread(holding(second)))
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
