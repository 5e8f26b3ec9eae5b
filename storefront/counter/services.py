"""The counter's offline data and the replay of hand-overs queued on a device.

**What the device holds.** ``snapshot`` is the day's pickups of the staff member's outlet, and
only of that outlet. No pickup code is ever sent: each handable pickup carries
``PBKDF2-HMAC-SHA256(code, device key, COUNTER_CODE_ROUNDS)``, where the device key is keyed by the
shop's secret and bound to the outlet, the staff member, the Hanoi day and the account's session
token (signing out, or "sign out everywhere", changes it). The device checks a typed code by
computing the same hash with WebCrypto. A leaked copy of the device's store gives names and phone
numbers of the day's shoppers, but guessing a code (31**8 candidates) costs that many PBKDF2 runs.

**Replay.** ``replay`` applies one queued hand-over through the same use cases as the counter's
pages (``orders.services.hand_over``, ``pickup.services.hand_over_partially``): the same code
check, lock-out, money step and stock rules. Its ``CounterHandOver`` row, keyed by the device's
client id (unique), is written in the same transaction as the hand-over, so a replay of the same
client id is answered from that row and applies nothing twice.

**Wrong codes typed offline.** The device counts them to lock a pickup there, and queues each one
(pickup, time, a client id; never what was typed) in the same queue as its hand-overs, so they are
replayed in the order they happened. ``count_wrong_code`` adds each to the pickup's wrong tries once
(its ``CounterWrongCode`` row, keyed by the client id, is written in the same transaction), with the
same lock as a wrong code typed at the counter's page: five lock the pickup for 15 minutes, from
when the server learns of them. A hand-over replayed while a lock set that way holds is refused
with the number of wrong codes that locked it, and the next refresh shows every device the lock.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..orders import codes, dues, services as order_services
from ..orders.locks import lock_pickups
from ..orders.models import LineStatus, PaymentStatus, Pickup, PickupStatus
from ..outlets import queries
from ..pickup import services as pickup_services
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import CounterHandOver, CounterWrongCode, ReplayOutcome as R, WrongCodeOutcome as W

P = PickupStatus
# PBKDF2 rounds of a device code hash (config COUNTER_CODE_ROUNDS): ~5 ms a pickup on the server
# per refresh, ~5 ms a typed code on a phone; ~10**4 times the work of one HMAC for a guesser.
CODE_ROUNDS = 10_000
SNAPSHOT_LIMIT = 500  # pickups kept on a device: far more than one outlet hands over in a day
REFUNDED_STATES = (PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING,
                   PaymentStatus.PARTIALLY_REFUNDED)


# --- what the device holds -------------------------------------------------------------------

def device_key(user, outlet, day: date) -> str:
    """Return the salt of the day's code hashes on this staff member's device."""
    message = f"counter-key:{outlet.id}:{user.id}:{day.isoformat()}:{user.session_token}"
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message.encode(),
                    hashlib.sha256).hexdigest()


def code_rounds() -> int:
    return int(current_app.config.get("COUNTER_CODE_ROUNDS", CODE_ROUNDS))


def device_code_hash(key: str, code: str, rounds: int | None = None) -> str:
    """Return the hash a device compares a typed code with (the same PBKDF2 as counter.js)."""
    rounds = rounds or code_rounds()
    return hashlib.pbkdf2_hmac("sha256", codes.normalize_code(code).encode(), key.encode(),
                               rounds).hex()


def day_pickups(outlet, today: date) -> list[Pickup]:
    """Return the pickups the counter may meet today: every ready one, and the confirmed ones
    whose day has come (some may be handed over partially)."""
    query = queries.pickups_at(outlet).where(
        (Pickup.status == P.READY)
        | ((Pickup.status == P.CONFIRMED)
           & (Pickup.pickup_day.is_(None) | (Pickup.pickup_day <= today))))
    return list(db.session.scalars(query.order_by(*queries.counter_order(today))
                                   .limit(SNAPSHOT_LIMIT)))


def hand_over_kind(pickup: Pickup) -> str | None:
    """Return how the counter may hand this pickup over: ``full``, ``partial`` or ``None``."""
    if pickup.status == P.READY and pickup.code_used_at is None:
        return "full"
    if pickup_services.can_hand_over_partially(pickup):
        return "partial"
    return None


@dataclass(frozen=True)
class PickupEntry:
    pickup: Pickup
    kind: str | None
    due: int
    code_hash: str | None


def snapshot(user, outlet, today: date, now: datetime | None = None) -> dict:
    """Return what the device keeps of the day: the key, the pickups and the check-ins."""
    now = now or utcnow()
    key = device_key(user, outlet, today)
    entries = []
    for pickup in day_pickups(outlet, today):
        kind = hand_over_kind(pickup)
        code = codes.code_to_show(pickup) if kind else None
        due = dues.amount_due(pickup, received_only=kind == "partial") if kind else 0
        entries.append(PickupEntry(pickup, kind, due,
                                   device_code_hash(key, code) if code else None))
    locked = {e.pickup.id for e in entries
              if e.pickup.code_locked_until and e.pickup.code_locked_until > now}
    return {"day": today.isoformat(), "key": key,
            "rounds": code_rounds(),
            "entries": entries, "locked": locked, "check_ins": check_ins(outlet, today)}


def check_ins(outlet, today: date) -> list:
    """Return the day's experience check-ins of the outlet, for the device to keep.

    Extension point: experiences (workshops, tours) are not built yet, so there are none. When
    they are, return one dict per booking (id, name, time, seats, a ``code_hash`` made with
    ``device_code_hash`` like the pickups') and counter.js lists them beside the pickups.
    """
    return []


# --- replay ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueuedHandOver:
    client_id: str
    pickup_id: int
    code: str
    partial: bool = False
    lines: tuple[int, ...] = ()
    collected: str | None = None
    amount: int | None = None
    queued_at: datetime | None = None


def stored(client_id: str) -> CounterHandOver | None:
    return db.session.scalar(select(CounterHandOver).where(CounterHandOver.client_id == client_id))


def replay(user, outlet, item: QueuedHandOver) -> tuple[CounterHandOver, bool]:
    """Apply one queued hand-over once; return its row and whether it had been applied before.

    The server is the source of truth: a pickup cancelled, refunded, handed over elsewhere or
    otherwise changed since the device's last refresh is refused, with the reason in the row.
    A client id already used by another outlet's staff is answered ``not_found``.
    """
    known = stored(item.client_id)
    if known is not None:
        return (known, True) if known.outlet_id == outlet.id else (_foreign(item), True)
    pickup = queries.pickup_at(outlet, item.pickup_id)
    if pickup is None:
        return _refuse(user, outlet, item, R.NOT_FOUND), False
    refusal = _refusal_before(pickup, item)
    if refusal is not None:
        return _refuse(user, outlet, item, refusal), False
    row = _row(user, outlet, item, R.CONFIRMED)
    db.session.add(row)  # flushed and committed by the hand-over's own unit of work, or not at all
    try:
        if item.partial:
            pickup_services.hand_over_partially(pickup, item.code, by=user,
                                                note=_("Giao khi mất mạng, gửi lại từ máy quầy"),
                                                collected=item.collected, amount=item.amount)
        else:
            order_services.hand_over(pickup, item.code, by=user, collected=item.collected,
                                     amount=item.amount)
    except IntegrityError:  # the same client id, replayed at the same moment: answer as it was
        db.session.rollback()
        return stored(item.client_id), True
    except order_services.CodeLocked:
        return _refuse(user, outlet, item, R.LOCKED, detail=_locked_offline(pickup)), False
    except order_services.WrongPickupCode:  # the device checked it: the code changed since
        return _refuse(user, outlet, item, R.CODE_CHANGED), False
    except order_services.PaymentNotCollected as error:
        return _refuse(user, outlet, item, R.AMOUNT_CHANGED, detail=str(error.amount)), False
    except order_services.OrderError:
        db.session.rollback()
        return _refuse(user, outlet, item, _refusal_before(pickup, item) or R.NOT_READY), False
    return row, False


def _locked_offline(pickup: Pickup) -> str | None:
    """Return how many wrong codes locked the pickup, when tries replayed from a counter device
    set the lock that holds now; else None (a lock set at the counter's page)."""
    pickup = db.session.get(Pickup, pickup.id, populate_existing=True)
    if pickup is None or pickup.code_locked_until is None:
        return None
    set_offline = db.session.scalar(select(CounterWrongCode.id).where(
        CounterWrongCode.pickup_id == pickup.id,
        CounterWrongCode.locked_until == pickup.code_locked_until).limit(1))
    return str(current_app.config["PICKUP_CODE_MAX_TRIES"]) if set_offline else None


def _refusal_before(pickup: Pickup, item: QueuedHandOver) -> R | None:
    if pickup.status == P.COLLECTED or pickup.code_used_at is not None:
        return R.ALREADY_COLLECTED
    if pickup.status == P.CANCELLED:
        return R.REFUNDED if pickup.order.payment_status in REFUNDED_STATES else R.CANCELLED
    if pickup.status == P.NO_SHOW:
        return R.NO_SHOW
    if not item.partial and pickup.status != P.READY:
        return R.NOT_READY
    if not dues.amount_due(pickup, received_only=item.partial) and item.amount:
        return R.AMOUNT_CHANGED  # money taken offline that is no longer owed (a transfer came in)
    if not item.partial:
        return None
    received = {line.id for line in pickup.lines if line.status == LineStatus.RECEIVED}
    if pickup.status == P.READY or received != set(item.lines):
        return R.LINES_CHANGED
    return None if pickup_services.can_hand_over_partially(pickup) else R.NOT_READY


def _row(user, outlet, item: QueuedHandOver, outcome: R, detail: str | None = None):
    return CounterHandOver(client_id=item.client_id, user_id=user.id, outlet_id=outlet.id,
                           pickup_id=item.pickup_id if outcome != R.NOT_FOUND else None,
                           partial=item.partial, outcome=outcome, detail=detail,
                           queued_at=item.queued_at)


def _refuse(user, outlet, item: QueuedHandOver, outcome: R, detail: str | None = None):
    """Keep the refusal under the client id (a wrong code's row was committed with its try)."""
    db.session.rollback()
    row = stored(item.client_id)
    if row is None:
        row = _row(user, outlet, item, outcome, detail)
        db.session.add(row)
    else:
        row.outcome, row.detail = outcome, detail
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return stored(item.client_id)
    return row


def _foreign(item: QueuedHandOver) -> CounterHandOver:
    """An answer for a client id another outlet used: nothing of that hand-over is told."""
    return CounterHandOver(client_id=item.client_id, outcome=R.NOT_FOUND, pickup_id=None,
                           partial=item.partial)


# --- wrong codes typed offline -------------------------------------------------------------------

@dataclass(frozen=True)
class QueuedWrongCode:
    client_id: str
    pickup_id: int
    tried_at: datetime | None = None


def stored_wrong_code(client_id: str) -> CounterWrongCode | None:
    return db.session.scalar(select(CounterWrongCode)
                             .where(CounterWrongCode.client_id == client_id))


def count_wrong_code(user, outlet, item: QueuedWrongCode) -> tuple[CounterWrongCode, bool]:
    """Add one wrong code typed offline to the pickup's wrong tries, once; return its row and
    whether it had been counted before.

    Counted while the pickup can still be opened by its code (ready, or waiting for a partial
    hand-over); a pickup handed over, cancelled or closed since is not counted. A client id
    already used by another outlet's staff is answered ``not_found`` and counts nothing.
    """
    known = stored_wrong_code(item.client_id)
    if known is not None:
        if known.outlet_id != outlet.id:
            return CounterWrongCode(client_id=item.client_id, outcome=W.NOT_FOUND), True
        return known, True
    row = CounterWrongCode(client_id=item.client_id, user_id=user.id, outlet_id=outlet.id,
                           tried_at=item.tried_at)
    try:
        with transaction():
            pickup = queries.pickup_at(outlet, item.pickup_id)
            if pickup is not None:
                lock_pickups([pickup])  # two devices replaying at once count one after the other
            row.pickup_id = pickup.id if pickup is not None else None
            if pickup is None:
                row.outcome = W.NOT_FOUND
            elif pickup.code_used_at is not None or pickup.status not in (P.READY, P.CONFIRMED):
                row.outcome = W.NOT_COUNTED
            else:
                row.outcome = W.COUNTED
                row.locked_until = order_services.note_wrong_code(
                    pickup, user, note=_("Mã sai nhập khi mất mạng, gửi lại từ máy quầy"))
            db.session.add(row)
    except IntegrityError:  # the same client id, replayed at the same moment: answer as it was
        db.session.rollback()
        return stored_wrong_code(item.client_id), True
    return row, False
