"""Which requests `sitegen serve` answers: only those naming this computer."""

from __future__ import annotations

import ipaddress


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a request may carry: the address listened on, and this computer's names."""
    return frozenset({host.strip("[]").lower(), "localhost", "127.0.0.1", "::1"})


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (as Vite and webpack-dev-server check).

    A page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and
    read the preview through the visitor's browser: then Host is that other name. An IP
    address cannot be rebound, and `*.localhost` always means this computer.
    """
    if not header:
        return False
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if name in allowed or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
