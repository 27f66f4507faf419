"""SMS text in the GSM-7 alphabet: 160 characters fit one segment, while a single character outside it (a curly
quote, an en dash pasted from a word processor) switches the whole message to UCS-2 and 70 characters."""

_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENDED = set("^{}\\[~]|€")  # two septets each (escape + character)
_LOOKALIKES = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " ", "•": "-", "→": "->"}
)
SEGMENT = 160


def is_gsm7(text: str) -> bool:
    return all(char in _BASIC or char in _EXTENDED for char in text)


def septets(text: str) -> int:
    """Length in GSM-7 septets (extended characters count twice)."""
    return sum(2 if char in _EXTENDED else 1 for char in text)


def fit(text: str) -> str:
    """The text with typographic look-alikes replaced by their GSM-7 equivalents, so that it stays in the
    7-bit alphabet (names with other letters keep them: a name is not ours to change)."""
    return text.translate(_LOOKALIKES)


def segments(text: str) -> int:
    """How many SMS segments the text takes (153 septets or 67 UCS-2 characters per part once split)."""
    if is_gsm7(text):
        length, single, multi = septets(text), SEGMENT, 153
    else:
        length, single, multi = len(text), 70, 67
    return 1 if length <= single else -(-length // multi)
