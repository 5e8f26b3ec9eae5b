"""What the lower packages are told at start-up about the packages above them, all in one place.

A composition root (only ``create_app`` imports it). Orders announces events that payments acts
on in the same transaction (``orders/signals.py``); the receivers are connected here, not where
they are written, so they are connected whenever an app exists and never by the accident of an
import. What orders and the catalogue ask of the pickup calendar and the shop's bank account
above them, and the catalogue of the experiences, is handed in here too (``orders/hooks.py``,
``catalog.models.describe_weeks_with``, ``catalog.services.describe_dated_with``,
``catalog.api_views.add_product_fields``), notices of the consent records above them
(``notifications.hooks``, ``privacy.notices``), and registration of the news boxes and the
consent they record (``accounts.hooks``, ``privacy.forms``, ``privacy.consents``).
``tests/test_wiring.py`` checks every receiver is
connected after ``create_app``.
"""
from .accounts import hooks as account_hooks
from .booking_changes import services as booking_changes, waitlist
from .bookings import placing as booking_placing
from .bookings.signals import hold_booked
from .catalog import api_views as catalog_api, models as catalog_models, services as catalog_services
from .experiences import queries as experience_queries
from .experiences.signals import session_cancelled
from .orders import hooks as order_hooks
from .finance import posting as finance_posting
from .invoices import services as invoices
from .notifications import hooks as notification_hooks
from .orders.signals import money_moved, order_cancelled, payment_expired, pickup_ended
from .payments import bank_account, refunds, services as payments
from .pickup import api_views as pickup_api, calendars, display
from .privacy import consents as privacy_consents, forms as privacy_forms, notices as privacy_notices

# (signal, receiver): every receiver of every event the domains send.
RECEIVERS = (
    (pickup_ended, refunds.give_back_for_ended_pickup),  # a Stripe refund, or money owed back
    (pickup_ended, payments.close_checkout_of_cancelled),  # the unpaid Checkout page at Stripe
    (payment_expired, refunds.give_back_for_expired_order),  # a transfer that fell short
    (money_moved, finance_posting.post_money_event),  # the entry in the books, same transaction
    (money_moved, invoices.on_money_moved),  # an e-invoice per sale, adjusted on a refund
    # everyone booked in a session the producer cancelled: told, seats back, refunded by method
    (session_cancelled, booking_changes.end_bookings_of_cancelled_session),
    # an order cancelled as a whole: its bookings' seats back, refunded by method
    (order_cancelled, booking_changes.end_bookings_of_cancelled_order),
    # a waitlist offer's held seats booked: the offer closes as booked, same transaction
    (hold_booked, waitlist.close_booked_offer),
)


def connect() -> None:
    """Connect every receiver and hand in every hook (connecting twice changes nothing)."""
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
    order_hooks.wire(pickup_days=calendars.day_choices, window_passed=calendars.window_passed,
                     transfer_available=bank_account.transfer_available,
                     bookings=booking_placing)
    catalog_models.describe_weeks_with(display.week_summary)
    catalog_services.describe_dated_with(experience_queries.dated_listings)
    catalog_api.add_product_fields(pickup_api.add_ready_days)
    # promotional notices need the consent per channel; a stop link withdraws it (issue 22's records)
    notification_hooks.wire(consented_channels=privacy_notices.allowed_channels,
                            channel_stopped=privacy_notices.withdraw_for_stop)
    # the register page's news boxes, recorded against the new account (Decree 13/2023: opt-in)
    account_hooks.wire(consent_boxes=privacy_forms.consent_boxes,
                       give_consent=privacy_consents.give_at_registration)
