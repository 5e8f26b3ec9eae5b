"""The register of personal-data incidents (Law 91/2025): what happened, to whose data, what was
done, and when the authority was told (within 72 hours of discovery)."""
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import Incident

REPORT_WITHIN = timedelta(hours=72)


def report_due(incident: Incident) -> datetime:
    """Return when the authority (A05, Ministry of Public Security) must have been told."""
    return incident.discovered_at + REPORT_WITHIN


def all_incidents() -> list[Incident]:
    """Return every incident, open ones first, newest first."""
    return list(db.session.scalars(select(Incident).order_by(Incident.closed_at.is_not(None),
                                                             Incident.discovered_at.desc())))


def record(by, **facts) -> Incident:
    """Add an incident to the register."""
    with transaction():
        incident = Incident(recorded_by_id=by.id, created_at=utcnow(), **facts)
        db.session.add(incident)
    return incident


def update(incident: Incident, *, close: bool = False, **facts) -> None:
    """Record what was done since (measures, the report to the authority), and close it."""
    with transaction():
        for name, value in facts.items():
            setattr(incident, name, value)
        if close and incident.closed_at is None:
            incident.closed_at = utcnow()
