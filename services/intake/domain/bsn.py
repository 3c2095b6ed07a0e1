"""The BSN elfproef: nine digits whose weighted sum (9…2 and −1) is a multiple of 11."""

from __future__ import annotations

BSN_LENGTH = 9
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """True for nine digits whose weighted sum is a non-zero multiple of 11."""
    if len(value) != BSN_LENGTH or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=True))
    return total % 11 == 0 and total != 0
