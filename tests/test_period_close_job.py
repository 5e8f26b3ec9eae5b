"""The worker's daily period close (``worker.close_settlement_period``), as the worker runs it: at
01:05 Hanoi on the first day of a period it closes the period before, once (a statement per
producer, mailed); running it again that day or the next writes nothing."""
from datetime import datetime, time, timedelta, timezone

import pytest
import time_machine
from huey.storage import SqliteStorage

from storefront import queue, worker
from storefront.extensions import db
from storefront.finance import settlement
from storefront.finance.models import Statement
from storefront.notifications.models import OutboxMessage
from storefront.timeutil import HANOI, local_today
from tests.test_finance_payouts import handed_over
from tests.support.transfer_support import app  # noqa: F401  (app fixture: the shop's bank account set)


@pytest.fixture
def task_queue(app, tmp_path):  # noqa: F811
    """Huey on a SQLite file of this test's own (as ``make run`` has it); restored afterwards."""
    huey = queue.huey
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage(huey.name, filename=str(tmp_path / "tasks.db"))
    yield huey
    huey.storage, huey.immediate = saved


def _written():
    db.session.expire_all()
    statements = db.session.scalars(db.select(Statement).order_by(Statement.id)).all()
    mails = db.session.scalars(db.select(OutboxMessage.to_email).where(
        OutboxMessage.kind == "statement_ready")).all()
    return [(s.producer_id, s.period_start, s.period_end, s.earned, s.fees, s.closing)
            for s in statements], mails


def test_the_daily_job_closes_the_last_period_once(app, client, task_queue):  # noqa: F811
    producer = handed_over(client)  # 2 × 150.000 handed over now: 270.000 after the 10 % fee
    producer.email = "htx@example.com"
    db.session.commit()
    start, end = settlement.period_of(local_today())
    first_day = end + timedelta(days=1)
    at_0105 = datetime.combine(first_day, time(1, 5), HANOI)
    job = worker.close_settlement_period

    with time_machine.travel(at_0105, tick=False):
        # This is the moment Huey's scheduler enqueues it (its crontab reads naive UTC).
        assert job.task_class().validate_datetime(at_0105.astimezone(timezone.utc).replace(tzinfo=None))
        job.call_local()
        closed = [(producer.id, start, end, 300_000, 30_000, 270_000)]
        assert _written() == (closed, ["htx@example.com"])
        assert queue.huey.get(queue._RAN.format(job.name), peek=True) is not None

        job.call_local()  # a second run (a retry, a second worker): nothing more
        assert _written() == (closed, ["htx@example.com"])

    with time_machine.travel(at_0105 + timedelta(days=1), tick=False):  # the next day's run
        job.call_local()
        assert _written() == (closed, ["htx@example.com"])
