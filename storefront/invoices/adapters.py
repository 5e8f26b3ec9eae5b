"""The provider adapters, one module each: ``EINVOICE_PROVIDER`` (or a producer's account) names one."""
from .provider import Account, Provider, ProviderRefused
from .viettel import ViettelSInvoice

ADAPTERS = {"viettel": ViettelSInvoice}  # VNPT Invoice, MISA meInvoice: one module and one line each


def adapter(account: Account) -> Provider:
    """Return the adapter for ``account.provider``.

    :raises ProviderRefused: an unknown provider name.
    """
    if account.provider not in ADAPTERS:
        raise ProviderRefused(f"unknown e-invoice provider {account.provider!r}")
    return ADAPTERS[account.provider](account)
