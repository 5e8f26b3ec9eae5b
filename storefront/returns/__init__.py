"""Goods given back at an outlet after hand-over (issue 23 item 3): what came back, why, whether it
can be sold again; the money goes back by the order's one refund path and the sale's e-invoice is
adjusted, never edited.

- ``models.py``: one row per line given back (quantity, reason, resaleable, who, when).
- ``services.py``: the use case, in one transaction: the return, the stock, the adjustment
  invoice (``invoices.services.record_return``) and the refund (``payments.refunds.give_back``).
- ``outlet_views.py``: the small form on the outlet's pickup page.

Sits above orders, payments and invoices; nothing imports it but the composition roots.
"""
