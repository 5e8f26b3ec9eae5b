"""What the order page and the admins' list read about notices."""
from flask import url_for
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import channels, stops
from .labels import CHANNEL_LABELS, EVENT_LABELS, STATUS_LABELS
from .models import Notice, NoticeDelivery

PAGE = 200


def counts() -> dict[str, int]:
    """Return how many deliveries are in each state."""
    rows = db.session.execute(db.select(NoticeDelivery.status, func.count())
                              .group_by(NoticeDelivery.status))
    return {status: count for status, count in rows}


def deliveries_in(state: str) -> list[NoticeDelivery]:
    """Return the newest deliveries in ``state`` (at most 200), with their notices."""
    return list(db.session.scalars(
        db.select(NoticeDelivery).where(NoticeDelivery.status == state)
        .options(selectinload(NoticeDelivery.notice), selectinload(NoticeDelivery.outbox_message))
        .order_by(NoticeDelivery.id.desc()).limit(PAGE)))


def of_order(order) -> list[Notice]:
    """Return the notices about ``order``, oldest first, with their deliveries."""
    return list(db.session.scalars(
        db.select(Notice).where(Notice.order_id == order.id)
        .options(selectinload(Notice.deliveries)).order_by(Notice.id)))


def order_panel(order) -> dict:
    """Return what the order page shows of its notices: the list, and a stop link per channel."""
    notices = of_order(order)
    links = {}
    if notices or channels.on():
        links = {channel: url_for("shop.stop_channel", token=token)
                 for channel, token in stops.stop_tokens(order.phone, order.email).items()}
    return {"notices": notices, "stop_links": links,
            "notice_labels": {"channels": CHANNEL_LABELS, "states": STATUS_LABELS,
                              "events": EVENT_LABELS}}
