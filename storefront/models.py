"""Every model, imported in one place for Alembic and the shell."""
from .accounts.models import Role, User  # noqa: F401
from .bookings.models import Booking, BookingCartItem, BookingSeat  # noqa: F401
from .booking_changes.models import WaitlistEntry  # noqa: F401
from .cart.models import CartItem  # noqa: F401
from .complaints.models import Complaint, ComplaintMessage  # noqa: F401
from .experiences.models import (  # noqa: F401
    Experience, ExperienceSession, PersonType, ScheduleException, WeeklySlot,
)
from .counter.models import CounterHandOver  # noqa: F401
from .catalog.models import (  # noqa: F401
    Certificate, Outlet, Photo, Producer, Product, Village, product_outlets,
)
from .catalog.listing_table import ListingRow  # noqa: F401
from .legal.models import OrderAgreement, PolicyVersion  # noqa: F401
from .invoices.models import Invoice, InvoiceBuyer, InvoiceLine, ProviderAccount  # noqa: F401
from .finance.models import (  # noqa: F401
    Account, BankAccount, CashShift, FeeAgreement, JournalEntry, Payout, PayoutBatch, Posting,
    Remittance, Statement,
)
from .notifications.models import OutboxMessage  # noqa: F401
from .orders.models import Order, OrderEvent, OrderLine, Pickup  # noqa: F401
from .payments.models import Refund, StripeEvent  # noqa: F401
from .payments.transfer_models import BankTransfer, TransferRefund  # noqa: F401
from .pickup.models import OutletClosure, OutletHours  # noqa: F401
from .returns.models import GoodsReturn  # noqa: F401
from .privacy.models import ConsentRecord, DataRequest, Incident  # noqa: F401
