"""What the law asks of an online shop in Vietnam (Decree 52/2013 as amended by 85/2021).

Who sells (``seller.py``: the operator, or each producer on the operator's trading floor), the
operator's identity shown on every page and mail, and the policies a shopper reads and agrees to
before an order is sent (``policies.py``: versioned, a published version never changes). Below
orders and the catalogue: it imports neither, and both may import it.
"""
