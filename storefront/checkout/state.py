"""What the shopper chose between the checkout's steps, kept in the session until the order exists.

Product ids, quantities and prices always come from the cart and the database, never from here.
"""
from dataclasses import asdict, dataclass, fields

from flask import session

SESSION_KEY = "checkout"


@dataclass
class CheckoutState:
    contact: dict | None = None  # name, phone, e-mail
    assignment: dict | None = None  # product id (as text) -> outlet id
    days: dict | None = None  # pickup day chosen for each outlet
    payment: str | None = None  # a PaymentMethod value
    preferred: int | None = None  # the outlet chosen for the whole cart
    token: str | None = None  # one-time checkout token: a second submit finds the order placed
    access: str | None = None  # the order's future access token
    reviewed: str | None = None  # fingerprint of the cart the shopper last saw
    company: dict | None = None  # the company the e-invoice is for, when the shopper asked for one
    consents: list | None = None  # the news boxes the shopper ticked (privacy.models.Purpose values)

    @classmethod
    def load(cls) -> "CheckoutState":
        """Return the state kept in this browser's session (empty when there is none)."""
        kept = session.get(SESSION_KEY) or {}
        return cls(**{f.name: kept[f.name] for f in fields(cls) if f.name in kept})

    def save(self) -> None:
        session[SESSION_KEY] = {key: value for key, value in asdict(self).items() if value is not None}

    @staticmethod
    def forget() -> None:
        session.pop(SESSION_KEY, None)

    def forget_payment(self) -> None:
        """Drop the tokens and the payment method, so the next attempt starts a new order."""
        self.token = self.access = self.payment = None
        self.save()

    @property
    def stored_assignment(self) -> dict[int, int]:
        return {int(pid): oid for pid, oid in (self.assignment or {}).items()}
