"""The roles a user account can have (the web areas guard on them; ``accounts`` stores them)."""
import enum


class Role(enum.StrEnum):
    SHOPPER = "shopper"
    PRODUCER = "producer"
    OUTLET_STAFF = "outlet_staff"
    ADMIN = "admin"
