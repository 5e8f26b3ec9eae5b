"""Mail goes out through the task queue: no request waits for SMTP, a killed sender loses and
duplicates nothing it can avoid, and a relay that hangs costs a worker ``MAIL_TIMEOUT``, not a page.

The queue is real (Huey on a SQLite file), and so are the mail servers: aiosmtpd, and a socket
that accepts connections and never answers. Senders killed mid-send are real processes.
"""
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
import time_machine

from storefront import queue, worker
from storefront.extensions import db
from storefront.notifications.mailer import claim_lease, send_pending
from storefront.notifications.models import OutboxMessage, OutboxStatus
from storefront.timeutil import utcnow
from tests.support.checkout_support import make_shop
from tests.support.factories import StaffUserFactory
from tests.support.smtp_server import Collector, Server, silent_smtp_server, smtp_server  # noqa: F401

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}


@pytest.fixture
def task_queue(app, tmp_path):
    """Huey on a SQLite file of this test's own, as ``make run`` has it; restored afterwards."""
    from huey.storage import SqliteStorage

    huey = queue.huey
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage(huey.name, filename=str(tmp_path / "tasks.db"))
    yield huey
    huey.storage = saved[0]
    huey.immediate = saved[1]


def work(queue) -> list[str]:
    """Do what a worker does: take each queued task and run it; return their names."""
    done = []
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        done.append(task.name)
    return done


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def place_order_through_the_pages(client) -> None:
    shop = make_shop()
    StaffUserFactory(outlet=shop.b, email="staff@example.com")
    client.post("/cart/add", data={"product_id": shop.vase.id, "quantity": 1})
    client.post("/checkout", data={**CUSTOMER, "payment_method": "at_pickup", "review": "1",
                                   "outlet_id": shop.b.id})
    page = client.get("/checkout/review").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})
    assert response.status_code in (302, 303) and "/orders/" in response.headers["Location"]


def test_placing_an_order_never_talks_to_smtp_and_a_worker_delivers_each_mail_once(
        app, client, task_queue, silent_smtp_server, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent_smtp_server.port, MAIL_TIMEOUT=0.5,
                      MAIL_SEND_AFTER_COMMIT=True)

    place_order_through_the_pages(client)

    messages = outbox()
    assert len(messages) >= 2  # the shopper's link and the outlet staff's notice
    assert {(m.status, m.attempts) for m in messages} == {(OutboxStatus.PENDING, 0)}
    assert silent_smtp_server.connections == []  # the request never opened a connection
    assert task_queue.pending_count() == len(messages)

    # A worker meets the hanging relay: each attempt ends after MAIL_TIMEOUT and is kept.
    assert work(task_queue) == ["deliver_message"] * len(messages)
    assert silent_smtp_server.connections
    for message in outbox():
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert "timed out" in message.last_error
        assert message.next_attempt_at > utcnow()

    # The relay is back; the periodic sweep sends each message exactly once.
    app.config.update(MAIL_PORT=smtp_server.port)
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
        worker.sweep_outbox.call_local()
        worker.sweep_outbox.call_local()
    assert {m.status for m in outbox()} == {OutboxStatus.SENT}
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(m.to_email for m in messages)


def test_a_lost_delivery_task_only_delays_the_mail_until_the_sweep(app, client, task_queue,
                                                                   smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                      MAIL_SEND_AFTER_COMMIT=True)
    place_order_through_the_pages(client)
    task_queue.flush()  # the queue lost every task (Redis flushed, worker's batch gone)

    worker.sweep_outbox.call_local()

    assert {m.status for m in outbox()} == {OutboxStatus.SENT}
    assert len(smtp_server.messages) == len(outbox())


def test_mail_timeout_comes_from_the_environment():
    code = "from storefront.config import Config; print(Config.MAIL_TIMEOUT)"
    env = {**os.environ, "MAIL_TIMEOUT": "2.5"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "2.5"


# --- senders killed mid-send ------------------------------------------------------------------

SENDER = textwrap.dedent("""
    import sys
    from storefront import create_app
    from storefront.notifications.mailer import send_pending
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": int(sys.argv[2]), "MAIL_TIMEOUT": 10,
                      "MEDIA_ROOT": sys.argv[3], "PRIVATE_MEDIA_ROOT": sys.argv[3]})
    with app.app_context():
        send_pending()
""")


def start_sender(app, port: int, tmp_path) -> subprocess.Popen:
    """Run ``send_pending`` in a process of its own, as a worker does."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "APP_ENV": "testing", "PYTHONPATH": root}
    return subprocess.Popen([sys.executable, "-c", SENDER, app.config["SQLALCHEMY_DATABASE_URI"],
                             str(port), str(tmp_path / "media")], env=env, cwd=root)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def one_message(to: str = "khach@example.com") -> OutboxMessage:
    message = OutboxMessage(kind="test", to_email=to, subject="Đơn hàng", body="Xin chào", locale="vi")
    db.session.add(message)
    db.session.commit()
    return message


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def test_a_message_claimed_by_a_killed_sender_is_retried_within_minutes(
        app, silent_smtp_server, smtp_server, tmp_path):
    message = one_message()
    sender = start_sender(app, silent_smtp_server.port, tmp_path)
    silent_smtp_server.wait_for_connection()  # it claimed the message and waits for the relay
    kill(sender)

    (claimed,) = outbox()
    assert (claimed.status, claimed.attempts) == (OutboxStatus.PENDING, 0)
    assert claimed.next_attempt_at - utcnow() <= timedelta(minutes=5)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5)
    assert send_pending().sent == 0  # another live sender may still hold it

    with time_machine.travel(claimed.next_attempt_at + timedelta(seconds=1), tick=False):
        assert send_pending().sent == 1

    assert [m["To"] for m in smtp_server.messages] == [message.to_email]


class HangsAfterAccepting(Collector):
    """Accept the message, then never answer QUIT (the sender is killed while it waits)."""

    async def handle_QUIT(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(3600)


def test_a_sender_killed_after_the_relay_accepted_does_not_send_the_message_again(
        app, tmp_path):
    relay = Server(HangsAfterAccepting())
    relay.controller.start()
    try:
        one_message()
        sender = start_sender(app, relay.port, tmp_path)
        wait_until(lambda: relay.envelopes)  # the relay said 250 …
        wait_until(lambda: outbox()[0].status == OutboxStatus.SENT)  # … and that was recorded
        assert sender.poll() is None  # while the sender still waits for the relay's goodbye
        kill(sender)

        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=relay.port, MAIL_TIMEOUT=5)
        with time_machine.travel(utcnow() + claim_lease() + timedelta(minutes=1), tick=False):
            assert send_pending().sent == 0
        assert len(relay.envelopes) == 1
    finally:
        relay.controller.stop()


def test_the_claim_lease_is_minutes_and_outlasts_a_slow_send(app):
    app.config.update(MAIL_TIMEOUT=10)
    assert timedelta(minutes=1) <= claim_lease() <= timedelta(minutes=5)
    app.config.update(MAIL_TIMEOUT=30)
    assert claim_lease().total_seconds() * 2 / 3 >= 10 * 30  # the watchdog cuts a send first


def test_a_worker_process_on_the_embedded_sqlite_queue_delivers_what_a_request_queued(
        app, client, task_queue, smtp_server, tmp_path):
    """``make run``'s layout: the web process and ``flask worker`` share ``instance/tasks.db``."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_SEND_AFTER_COMMIT=True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({"APP_ENV": "development", "FLASK_APP": "storefront:create_app",
                "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "TASK_QUEUE_PATH": task_queue.storage.filename, "TASK_QUEUE_NAME": task_queue.name,
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port),
                "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")})
    worker = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "flask"), "worker", "-w", "1"],
                              cwd=root, env=env)
    try:
        place_order_through_the_pages(client)
        count = len(outbox())

        wait_until(lambda: {m.status for m in outbox()} == {OutboxStatus.SENT}, timeout=120)
    finally:
        worker.send_signal(signal.SIGINT)  # Ctrl-C: running tasks finish, then it stops
        worker.wait(timeout=60)

    assert worker.returncode == 0
    assert len(smtp_server.messages) == count
    assert "deliver_message" not in {task.name for task in task_queue.pending()}
