"""Which callback addresses a production deployment refuses (server-side request forgery).

A subscriber chooses the URL matching will POST to; without a check, anyone with a token could
point deliveries at the deployment's own network (a database port, a cloud metadata endpoint).
So in production a callback must be https, and its host must resolve to public addresses only:
EVERY address the name resolves to is checked, because a client may connect to any of them.
Numeric host forms (`127.1`, `2130706433`, `0x7f000001`, `017700000001`) are not parsed here:
the resolver turns them into the address they mean (as a client would), and that address is
what these rules see. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
6to4, Teredo, NAT64) are judged by the IPv4 address inside them too.

Municipal systems often live on private networks, so an operator may allow networks it trusts
(MATCHING_CALLBACK_ALLOWED_NETWORKS). Only non-public networks can be listed (a public address
needs no allowing), and allowing 10.0.0.0/8 does not open loopback or link-local (the metadata
endpoint 169.254.169.254): those pass only when their own range is listed.

Everything here is pure: resolving the name is the caller's (delivery.py) I/O.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# NAT64 (RFC 6052): the well-known prefix maps IPv4 into its last 32 bits; the local-use prefix
# is the operator's own translator, which can reach anything behind it.
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d

# What an allow-list entry may lie inside: the non-public ranges a receiver can live in.
# Anything else would be public (needs no allowing) or can never be a receiver (multicast,
# reserved), so such an entry is a configuration mistake, refused at start-up.
ALLOWABLE_RANGES: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918 private
    "100.64.0.0/10",  # carrier-grade NAT shared space
    "127.0.0.0/8", "169.254.0.0/16",  # loopback, link-local: only when named themselves
    "fc00::/7", "fe80::/10", "::1/128"))  # IPv6 unique-local, link-local, loopback


def url_refusal(url: str) -> str | None:
    """What is wrong with the URL itself in production (scheme, host), or None.

    Addresses are judged after resolving (`addresses_refusal`)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "not an https URL"
    host = callback_host(url)
    if not host:
        return "no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "a localhost address"  # RFC 6761: always loopback, whatever DNS says
    return None


def callback_host(url: str) -> str:
    """The host the URL names, lower-case, without a trailing dot or IPv6 brackets."""
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def callback_port(url: str) -> int:
    """The port the URL names, or its scheme's default. Raises ValueError for a bad port."""
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def parse_allowed_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The operator's allow-list: CIDRs or single addresses. Raises ValueError naming a bad one."""
    networks: list[Network] = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not an IP address or network: {exc}") from None
        if not any(network.version == r.version and network.subnet_of(r)  # type: ignore[arg-type]
                   for r in ALLOWABLE_RANGES):
            raise ValueError(f"{entry!r} is not a private, loopback or link-local network "
                             "(public addresses need no allowing)")
        networks.append(network)
    return tuple(networks)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries, if any: where the packet really goes."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # (server, client): the client is the one reached
    if address in NAT64_WELL_KNOWN or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _kind(address: Address) -> str | None:
    """Which kind of non-public address this is, or None for a public one."""
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv6Address) and address in NAT64_LOCAL_USE:
        return "a local NAT64 address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


def _allowed(address: Address, allowed: Sequence[Network]) -> bool:
    return any(address.version == n.version and address in n for n in allowed)


def _verdict(address: Address, allowed: Sequence[Network]) -> tuple[Address, str] | None:
    """The form that is refused (the address or the IPv4 inside it) and its kind, or None."""
    forms: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            forms.insert(0, inner)  # where the packet ends up: the clearest reason
    for form in forms:
        kind = _kind(form)
        if kind is not None and not _allowed(form, allowed):
            return form, kind
    return None


def address_refusal(address: Address, allowed: Sequence[Network] = ()) -> str | None:
    """Why deliveries may not go to this address, or None when they may."""
    verdict = _verdict(address, allowed)
    if verdict is None:
        return None
    form, kind = verdict
    if form is address:
        return f"{address} is {kind}"
    return f"{address} carries {form}, {kind}"


def addresses_refusal(host: str, addresses: Sequence[Address],
                      allowed: Sequence[Network] = ()) -> str | None:
    """Why a host that resolves to these addresses may not receive deliveries, or None.

    Every address must pass: a client (or a rebinding resolver) may hand out any of them."""
    if not addresses:
        return f"{host} does not resolve to any address"
    for address in addresses:
        verdict = _verdict(address, allowed)
        if verdict is None:
            continue
        form, kind = verdict
        if str(address) == host:
            return address_refusal(address, allowed)
        if form is address:
            return f"{host} resolves to {address}, {kind}"
        return f"{host} resolves to {address}, which carries {form}, {kind}"
    return None
