"""What the server keeps of each hand-over, and each wrong code, a counter queued offline: one
row per client id.

The row is written in the same transaction as the hand-over it confirms (or the wrong try it
counts), so a replay of the same client id (a retry, a second tab, a lost answer) finds it and gets
the same answer, never a second hand-over or a second try. A refusal is kept too, with its reason,
for the same answer on every replay.
"""
import enum

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class ReplayOutcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_COLLECTED = "already_collected"  # handed over elsewhere (another device, the server page)
    CANCELLED = "cancelled"                  # cancelled meanwhile: the goods go back
    REFUNDED = "refunded"                    # cancelled and the money given back
    NO_SHOW = "no_show"                      # the window ended before the replay
    CODE_CHANGED = "code_changed"            # the code no longer opens the pickup
    LOCKED = "locked"                        # too many wrong codes on the server (detail: the
                                             # wrong codes that locked it, when tries replayed
                                             # from counter devices set the lock)
    AMOUNT_CHANGED = "amount_changed"        # what is due is not what was collected
    LINES_CHANGED = "lines_changed"          # a partial hand-over whose lines moved meanwhile
    NOT_READY = "not_ready"                  # the pickup cannot be handed over as queued
    NOT_FOUND = "not_found"                  # not a pickup of this outlet


class CounterHandOver(db.Model):
    """A hand-over queued on a counter device, as the server applied (or refused) it."""

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(36), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), nullable=False)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), nullable=True)
    partial = db.Column(db.Boolean, nullable=False, default=False)
    outcome = db.Column(db.String(20), nullable=False)
    detail = db.Column(db.String(200))  # the amount due now, for AMOUNT_CHANGED; see LOCKED
    queued_at = db.Column(db.DateTime)  # when the device queued it (the device's clock)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (one_of("outcome", ReplayOutcome, name="outcome_known"),)


class WrongCodeOutcome(enum.StrEnum):
    COUNTED = "counted"          # added to the pickup's wrong tries (and may have locked it)
    NOT_COUNTED = "not_counted"  # the pickup was handed over, cancelled or closed meanwhile
    NOT_FOUND = "not_found"      # not a pickup of this outlet


class CounterWrongCode(db.Model):
    """A wrong pickup code typed on a counter device with no network, as the server counted it.

    The device queues the try (pickup, time, staff, a client id; never what was typed) and replays
    it with its hand-overs, in order. The row, keyed by the client id (unique), is written in the
    same transaction as the try it adds to ``Pickup.failed_code_attempts``, so a replay of the same
    client id counts nothing twice. ``locked_until`` is the lock this try set, if it set one: a
    hand-over refused while that lock holds says the offline tries locked the pickup.
    """

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.String(36), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), nullable=False)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), nullable=True, index=True)
    outcome = db.Column(db.String(20), nullable=False)
    locked_until = db.Column(db.DateTime)
    tried_at = db.Column(db.DateTime)  # when the code was typed (the device's clock)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (one_of("outcome", WrongCodeOutcome, name="outcome_known"),)
