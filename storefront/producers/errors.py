"""Named failures of the producer's use cases; each carries the message a person will see."""
from ..catalog.certification import CertificateInvalid  # noqa: F401  (re-exported)


class ProducerError(Exception):
    """A producer's request cannot be carried out; ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TooManyPhotos(ProducerError):
    """The product already has as many photos as allowed."""


class InactiveOutlet(ProducerError):
    """An outlet chosen for a product does not exist or no longer sells."""


class LabelIncomplete(ProducerError):
    """The product's label lacks a fact its group requires (``catalog/labels.py``)."""


class InvalidProductTransition(ProducerError):
    """The product's status cannot move that way (e.g. publishing an archived product)."""
