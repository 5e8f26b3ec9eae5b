"""Review and publication states, below the models and the listing rule that both read them."""
import enum


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    REVOKED = "revoked"  # certificates only: withdrawn by the programme after verification


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
