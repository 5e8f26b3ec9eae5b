"""The race harness: several jobs released at the same moment, each in a thread of its own."""
import threading
from collections.abc import Callable

from storefront.extensions import db


def at_once(app, *jobs: Callable[[], object]) -> list:
    """Run every job in its own thread and app context (so its own session and connection), all
    released together; return what each returned, or the exception it raised, in job order."""
    results = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(n: int) -> None:
        with app.app_context():
            try:
                start.wait()
                results[n] = jobs[n]()
            except Exception as error:  # noqa: BLE001 — the caller's assertion reports it
                results[n] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
