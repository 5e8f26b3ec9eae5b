"""What accent-insensitive search reads: folded names of product, producer and village."""
from ..text import fold


def search_text_for(product) -> str:
    """Return the folded text a product is found by (call whenever a name it includes changes)."""
    producer = product.producer
    parts = [product.name_vi, product.name_en, producer.name if producer else None,
             producer.village.name if producer and producer.village else None,
             producer.village.name_en if producer and producer.village else None]
    return fold(" ".join(p for p in parts if p))


def refresh_search_text(products) -> None:
    """Recompute the search text of ``products`` (no commit: the caller's transaction owns it)."""
    for product in products:
        product.search_text = search_text_for(product)
