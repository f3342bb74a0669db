"""Prices as sites show them: a currency sign or code before the amount ("$34.99",
"€1,250", "CA$89", "¥12,000"). The currency is the one the page shows, never assumed."""
from services.indexer.sites.base import to_float

# Longest prefix first: "CA$" before "$".
PREFIXES = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "MX$": "MXN",
            "R$": "BRL", "HK$": "HKD", "S$": "SGD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
            "₩": "KRW", "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CAD": "CAD", "AUD": "AUD"}


def split_price(text: str) -> tuple[str, float] | None:
    """(ISO currency code, amount) of a price such as "$1,234.50"; None for anything else."""
    text = text.strip()
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if text.startswith(prefix):
            amount = text[len(prefix):].strip()
            if amount and amount[0].isdigit() and all(ch.isdigit() or ch in ",." for ch in amount):
                return PREFIXES[prefix], to_float(amount)  # type: ignore[return-value]  # None for "1.2.3": see report
            return None
    return None
