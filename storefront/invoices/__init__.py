"""E-invoices (Decree 123/2020 as amended by Decree 70/2025): one per sale at hand-over, issued
through a licensed provider's API by a worker after the hand-over commits, adjusted (never edited
or deleted) when a sale changes.

- ``models.py``: invoices and their lines (immutable once issued), the buyer's company details
  kept on an order, producers' provider accounts (credentials encrypted).
- ``vat.py``: the VAT rates and the one rounding rule (prices include VAT).
- ``provider.py``: the small interface every provider adapter implements; ``viettel.py`` is
  Viettel S-Invoice's.
- ``building.py``: what an invoice says, from what was really handed over or given back.
- ``services.py``: recording (in the hand-over's or refund's transaction), issuing (worker),
  retrying with backoff, the admin's fixes.

Orders never import this package: ``wiring.py`` connects ``services.on_money_moved`` to the
orders domain's ``money_moved`` event.
"""
