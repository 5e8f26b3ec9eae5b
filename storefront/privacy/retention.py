"""The periodic privacy work: guests' contact details forgotten after ``GUEST_DATA_RETENTION_DAYS``,
and the admins reminded of data requests coming due."""
import logging

from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import erasure, requests

log = logging.getLogger(__name__)


def forget_guests(now=None) -> int:
    """Forget the contact of finished guest orders past retention; cut down sent erasure mail."""
    with transaction():
        forgotten = erasure.forget_old_guest_orders(now or utcnow())
        erasure.forget_sent_confirmations()
    if forgotten:
        log.info("forgot the contact details of %s guest order(s)", forgotten)
    return forgotten


def remind(today=None) -> int:
    """Remind the admins of data requests due by the next working day."""
    return requests.remind_admins(today)
