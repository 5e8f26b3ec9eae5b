"""A transaction PostgreSQL aborts as a deadlock runs again; one that still loses is "busy", not "down".

The deadlocks here are real: two requests (or threads) lock the same two outlet rows in opposite
orders and wait for each other at a barrier, until PostgreSQL aborts one of them. SQLite has no
row locks, so those tests run on PostgreSQL only.
"""
import logging
import threading
from functools import partial

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storefront import outages
from storefront.extensions import db
from storefront.models import Outlet
from storefront.unit_of_work import TransactionConflict, retrying, transaction
from tests.conftest import BACKEND
from tests.support.factories import OutletFactory
from tests.support.race import at_once

needs_row_locks = pytest.mark.skipif(BACKEND == "sqlite", reason="SQLite has no row locks")


class CrossedLocks:
    """Work that locks two outlet rows in the order given; on their first run, two such works each
    hold their first row before asking for the second, so they deadlock."""

    def __init__(self):
        self.first_runs = threading.Barrier(2)
        self.runs: list[int] = []

    def __call__(self, first: int, second: int) -> str:
        self.runs.append(first)
        _lock(first)
        if self.runs.count(first) == 1:
            self.first_runs.wait(timeout=10)
        _lock(second)
        db.session.execute(update(Outlet).where(Outlet.id == first).values(instructions_vi="đã ghé"))
        return "committed"


def _lock(outlet_id: int) -> None:
    db.session.execute(select(Outlet.id).where(Outlet.id == outlet_id).with_for_update())


@pytest.fixture
def two_outlets(app):
    return OutletFactory().id, OutletFactory().id


@needs_row_locks
def test_a_deadlocked_unit_of_work_runs_again_and_both_commit(app, two_outlets, caplog):
    a, b = two_outlets
    work = CrossedLocks()

    with caplog.at_level(logging.INFO, logger="storefront.unit_of_work"):
        outcomes = at_once(app, lambda: retrying(partial(work, a, b)),
                           lambda: retrying(partial(work, b, a)))

    assert outcomes == ["committed", "committed"]
    assert len(work.runs) == 3  # one of the two ran twice
    (retried,) = [r.getMessage() for r in caplog.records if "running it again" in r.getMessage()]
    assert "deadlock" in retried
    db.session.expire_all()
    assert {o.instructions_vi for o in db.session.scalars(select(Outlet))} == {"đã ghé"}


@needs_row_locks
def test_a_unit_of_work_that_loses_every_attempt_raises_a_named_conflict(app, two_outlets):
    a, b = two_outlets
    work = CrossedLocks()

    outcomes = at_once(app, lambda: retrying(partial(work, a, b), attempts=1),
                       lambda: retrying(partial(work, b, a), attempts=1))

    (lost,) = [o for o in outcomes if isinstance(o, TransactionConflict)]
    assert "committed" in outcomes
    assert "deadlock" in str(lost)


def test_retrying_runs_the_work_once_and_does_not_retry_other_errors(app):
    outlet = OutletFactory()
    runs = []

    def duplicate_slug():
        runs.append(1)
        db.session.add(Outlet(name="Bản sao", slug=outlet.slug, place_type="other", address="HN"))
        db.session.flush()

    assert retrying(lambda: runs.append(1) or "done") == "done" and len(runs) == 1
    with pytest.raises(IntegrityError):
        retrying(duplicate_slug)
    assert len(runs) == 2


@needs_row_locks
def test_a_request_that_loses_a_deadlock_is_answered_busy_not_down(make_app, two_outlets, caplog):
    app = make_app()
    work = CrossedLocks()

    @app.post("/_test/crossed/<int:first>/<int:second>")
    def crossed(first, second):
        with transaction():  # no retry here: the conflict reaches the error handlers
            return work(first, second)

    a, b = two_outlets
    outages._last_warned.clear()
    with caplog.at_level(logging.INFO):
        responses = at_once(app, lambda: app.test_client().post(f"/_test/crossed/{a}/{b}"),
                            lambda: app.test_client().post(f"/_test/crossed/{b}/{a}"))

    assert sorted(r.status_code for r in responses) == [200, 503]
    (busy,) = [r for r in responses if r.status_code == 503]
    assert busy.headers["Retry-After"] == "1"
    page = busy.get_data(as_text=True)
    assert "Nhiều người đang thao tác cùng lúc" in page and "tạm gián đoạn" not in page
    assert not [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert "database" not in outages._last_warned  # the next real outage still warns at once
