"""Notices by channel: one event for one recipient, written in the caller's transaction.

``notify(event, …)`` writes a ``Notice`` and the delivery row of its first channel (Zalo ZNS,
else SMS, else e-mail: ``routing.plan``); after the commit a worker sends it (``dispatch``).
The shop's mails that are events (``events.MAIL_EVENTS``) come here from ``services.queue``;
without Zalo or SMS configured they stay plain mails, exactly as before.
"""
from ..extensions import db
from ..unit_of_work import on_commit
from . import dispatch, hooks
from .events import EVENTS, params_for
from .models import Notice
from .routing import international, phone_channels_on

_STARTED = "notices_started"
_SEEN = "notices_seen"


def notify(event: str, *, locale: str, order=None, phone: str | None = None,
           email: str | None = None, mail: tuple[str, str, str] | None = None,
           promotional: bool = False, user=None, **context) -> Notice | None:
    """Write ``event`` for one recipient and start its first channel; return the notice.

    ``mail`` is the (kind, subject, body) the e-mail channel sends. A promotional notice goes
    only by the channels ``user`` opted in to in its consent records (``hooks.consented_channels``,
    read now and kept on the notice); without a user (a guest's contact has no consent records)
    it goes by none. Returns None when no channel can carry it.
    """
    opted_in = hooks.consented_channels(user) if promotional and user is not None else set()
    phone = international(phone)
    seen = db.session.info.setdefault(_SEEN, set())
    key = (event, order.id if order is not None else None, phone)
    if phone and order is not None and key in seen:  # one phone, one message: a producer
        phone = None                                 # mailed at two addresses
    kind, subject, body = mail if mail and EVENTS[event].mail else (None, None, None)
    notice = Notice(event=event, order_id=order.id if order is not None else None, phone=phone,
                    email=email or None, locale=locale,
                    data=params_for(event, locale, order, **context), mail_kind=kind,
                    mail_subject=subject, mail_body=body, promotional=promotional,
                    opted_in=",".join(sorted(opted_in)) or None)
    db.session.add(notice)
    delivery = dispatch.start(notice)
    if delivery is None:
        db.session.expunge(notice)
        return None
    seen.add(key)
    db.session.info.setdefault(_STARTED, []).append(delivery)
    on_commit(_hand_over, once=True)
    return notice


def on() -> bool:
    """Tell whether notices go by channels (Zalo or SMS configured); else the shop only mails."""
    return phone_channels_on()


def _hand_over() -> None:
    for delivery in db.session.info.pop(_STARTED, []):
        dispatch.hand_over(delivery)
    db.session.info.pop(_SEEN, None)
