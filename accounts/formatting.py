"""How numbers look to people here: Rupiah with dots for thousands (`Rp 125.500`)."""


def rupiah(amount: int | None) -> str:
    if amount is None:
        return ""
    sign = "−" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")
