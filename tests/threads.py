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
