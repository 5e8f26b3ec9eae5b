"""Outlet opening hours (per weekday, zero or more intervals) and closures, as data."""
from ..extensions import db
from ..timeutil import utcnow


class OutletHours(db.Model):
    """One opening interval of an outlet on one weekday (Monday 0 … Sunday 6)."""

    __tablename__ = "outlet_hours"
    id = db.Column(db.Integer, primary_key=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    weekday = db.Column(db.SmallInteger, nullable=False)
    opens = db.Column(db.Time, nullable=False)
    closes = db.Column(db.Time, nullable=False)

    # selectin: a page listing outlets loads every one's hours in one more query, not one each.
    outlet = db.relationship("Outlet", backref=db.backref(
        "hours_rows", order_by="(OutletHours.weekday, OutletHours.opens)",
        cascade="all, delete-orphan", lazy="selectin"))

    __table_args__ = (
        db.CheckConstraint("weekday between 0 and 6", name="weekday_range"),
        db.CheckConstraint("closes > opens", name="closes_after_opens"),
    )


class OutletClosure(db.Model):
    """Days an outlet is closed (public holidays, Tết, a one-off day), both ends included."""

    __tablename__ = "outlet_closure"
    id = db.Column(db.Integer, primary_key=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    first_day = db.Column(db.Date, nullable=False)
    last_day = db.Column(db.Date, nullable=False)
    reason = db.Column(db.String(200), nullable=False)
    reason_en = db.Column(db.String(200))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    outlet = db.relationship("Outlet", backref=db.backref(
        "closures", order_by="OutletClosure.first_day", cascade="all, delete-orphan"))

    __table_args__ = (
        db.Index("ix_outlet_closure_days", "outlet_id", "last_day"),
        db.CheckConstraint("last_day >= first_day", name="last_not_before_first"),
    )
