"""ISO 4217 currency codes: an amount in an unknown currency must stop the read.

A typo such as `USDD` or a symbol such as `$` would otherwise land, find no FX rate and
silently drop the amount from every converted total. The list is ISO 4217's active codes
(including precious metals and SDR, which ledgers do use); funds codes are left out.
"""

from __future__ import annotations

from connectors.values import text

_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VED VND
    VUV WST XAF XAG XAU XCD XCG XDR XOF XPD XPF XPT YER ZAR ZMW ZWG ZWL
"""
ISO_4217 = frozenset(_CODES.split())


def parse_currency(value: str | None) -> str | None:
    """An ISO 4217 code, uppercased (`usd` → `USD`); empty gives None, anything else errors."""
    cleaned = text(value)
    if cleaned is None:
        return None
    code = cleaned.upper()
    if code not in ISO_4217:
        raise ValueError(f"expected an ISO 4217 currency code such as USD or EUR, got {cleaned!r}")
    return code


# The codes a currency symbol in an amount may stand for: `$1,234.50` in a CAD row is
# Canadian dollars, in a EUR row it is a contradiction the reader refuses.
SYMBOL_CURRENCIES: dict[str, frozenset[str]] = {
    "$": frozenset(
        [
            "USD",
            "CAD",
            "AUD",
            "NZD",
            "SGD",
            "HKD",
            "MXN",
            "TWD",
            "BSD",
            "BBD",
            "BZD",
            "BMD",
            "BND",
            "FJD",
            "GYD",
            "JMD",
            "KYD",
            "LRD",
            "NAD",
            "SBD",
            "SRD",
            "TTD",
            "XCD",
            "ARS",
            "CLP",
            "COP",
            "CUP",
            "DOP",
            "UYU",
        ]
    ),
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP", "GIP", "FKP", "SHP"}),
    "¥": frozenset({"JPY", "CNY"}),
}
