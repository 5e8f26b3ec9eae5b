"""Named failures of the experiences domain; the message a person sees travels in the exception."""


class ExperienceError(Exception):
    """Something a producer or shopper asked of an experience cannot be done."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class SessionNotCancellable(ExperienceError):
    """The session is already cancelled, not offered, or over."""


class InvalidSchedule(ExperienceError):
    """A weekly slot, an exception or a person type is not acceptable."""


class NotAnExperience(ExperienceError):
    """No listed experience has this slug (404)."""
