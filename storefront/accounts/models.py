"""Users and their roles."""
import secrets

from flask_login import UserMixin

from ..extensions import db
from ..model_checks import one_of
from ..roles import Role  # noqa: F401  (stored here; defined low so the web areas can guard on it)
from ..timeutil import utcnow
from .passwords import hash_password, needs_rehash, verify_password


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    name = db.Column(db.String(120), nullable=False)
    phone = db.Column(db.String(20))
    role = db.Column(db.String(20), nullable=False, default=Role.SHOPPER)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), index=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), index=True)
    locale = db.Column(db.String(5), nullable=False, default="vi")
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Changing it signs the user out everywhere (password change, disable).
    session_token = db.Column(
        db.String(43), nullable=False, default=lambda: secrets.token_urlsafe(32)
    )
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # When the owner proved the address by its signed link. Accounts made by an admin, a command or
    # the demo start confirmed; self-registration (``accounts.signup``) starts with None.
    email_confirmed_at = db.Column(db.DateTime, default=utcnow)

    producer = db.relationship("Producer", back_populates="users")
    outlet = db.relationship("Outlet", back_populates="staff")

    __table_args__ = (
        one_of("role", Role, name="role_known"),
        db.CheckConstraint(
            "(role = 'producer') = (producer_id IS NOT NULL)", name="producer_has_producer"
        ),
        db.CheckConstraint(
            "(role = 'outlet_staff') = (outlet_id IS NOT NULL)", name="staff_has_outlet"
        ),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Sign this user out everywhere: every session and remember cookie names the old token."""
        self.session_token = secrets.token_urlsafe(32)

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def check_password(self, password: str) -> bool:
        ok = verify_password(self.password_hash, password)
        if ok and needs_rehash(self.password_hash):
            self.password_hash = hash_password(password)
        return ok

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_producer(self) -> bool:
        return self.role == Role.PRODUCER

    @property
    def is_outlet_staff(self) -> bool:
        return self.role == Role.OUTLET_STAFF

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
