"""Which channels a notice may take, in order: Zalo ZNS, else SMS, else e-mail.

A channel is in the list when the shop has it configured, it has something to send for the event
(an approved Zalo template, an SMS text, the mail), the recipient has the address it needs (a
mobile for Zalo and SMS, an e-mail address) and has not stopped it from a link (a stop a later
consent lifted no longer counts: ``stops.lift``). A promotional notice also needs the recipient's
opt-in for the channel; a transactional one (the order's own news) does not.
"""
import re

from ..extensions import db
from . import esms, zalo
from .events import EVENTS
from .models import Channel, ChannelStop

ORDER = (Channel.ZALO, Channel.SMS, Channel.EMAIL)
# Vietnamese mobiles, as stored (0 and nine digits, the second 3, 5, 7, 8 or 9).
_MOBILE = re.compile(r"^0[35789]\d{8}$")


def international(phone: str | None) -> str | None:
    """Return a stored Vietnamese mobile as Zalo and eSMS take it (``84…``); None for anything else.

    Numbers are stored as ``phones.normalize_phone`` writes them (``0987654321``); landlines
    receive neither Zalo nor SMS.
    """
    compact = re.sub(r"[\s.\-()]", "", phone or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    return "84" + compact[1:] if _MOBILE.match(compact) else None


def phone_channels_on() -> bool:
    """Tell whether any channel but e-mail is configured (without them the shop mails as before)."""
    return zalo.configured() or esms.configured()


def address_for(channel: str, notice) -> str | None:
    return notice.email if channel == Channel.EMAIL else notice.phone


def plan(notice) -> list[str]:
    """Return the channels ``notice`` may take, in the order it tries them."""
    event = EVENTS[notice.event]
    possible = {
        Channel.ZALO: bool(notice.phone) and zalo.configured() and notice.event in zalo.templates(),
        Channel.SMS: bool(notice.phone) and esms.configured() and event.sms is not None,
        Channel.EMAIL: bool(notice.email) and bool(notice.mail_body),
    }
    chosen = [channel for channel in ORDER if possible[channel]]
    if notice.promotional:
        allowed = set(filter(None, (notice.opted_in or "").split(",")))
        chosen = [channel for channel in chosen if channel in allowed]
    stopped = stopped_channels(notice.phone, notice.email)
    return [channel for channel in chosen if channel not in stopped]


def open_stops():
    """Return a select of the stops in force: none lifted since (``stops.lift``)."""
    return db.select(ChannelStop).where(ChannelStop.lifted_at.is_(None))


def stopped_channels(phone: str | None, email: str | None) -> set[str]:
    """Return the channels a recipient stopped for these addresses (``phone`` as ``84…``), and
    no later consent lifted."""
    pairs = [(Channel.ZALO, phone), (Channel.SMS, phone), (Channel.EMAIL, (email or "").lower())]
    wanted = [(channel, address) for channel, address in pairs if address]
    if not wanted:
        return set()
    rows = db.session.scalars(open_stops().where(
        db.or_(*[(ChannelStop.channel == c) & (ChannelStop.address == a) for c, a in wanted])))
    return {row.channel for row in rows}
