"""Sending one webhook request: the SSRF guard, the signature, and the HTTP call. No database.

The guard resolves the host once, refuses the URL if any of its addresses is not a public one,
and then connects to the address it checked (the `Host` header and TLS server name stay those of
the URL), so a DNS answer that changes between the check and the connection cannot point the
request at an internal service. Redirects are never followed, for the same reason.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from vetta.integrations.errors import UnsafeWebhookUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SIGNATURE_HEADER = "Vetta-Signature"
USER_AGENT = "Vetta-Webhooks/1"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_URL_CHARS = 500
# How receivers' certificates are verified: the system's trust store. Tests point it at the CA of
# their own local HTTPS receiver.
TLS_VERIFY: ssl.SSLContext | bool = True
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The `Vetta-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_is_public(ip: IPAddress) -> bool:
    """False for loopback, private, link-local (cloud metadata), shared, reserved, multicast and
    unspecified addresses, including IPv4 ones wrapped in IPv6."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not address_is_public(inner):
            return False
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    netloc: str  # as the Host header says it
    path: str  # path and query


def parse_url(url: str) -> Target:
    """Checks the URL's form: http or https, a host, no credentials, a sane length."""
    if len(url) > MAX_URL_CHARS:
        raise UnsafeWebhookUrl(f"the URL is longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeWebhookUrl(f"the URL is malformed: {exc}") from None
    if parts.scheme not in {"http", "https"}:
        raise UnsafeWebhookUrl("only http:// and https:// URLs can receive webhooks")
    if not parts.hostname:
        raise UnsafeWebhookUrl("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhookUrl("put no credentials in the URL; verify the signature header instead")
    if parts.fragment:
        raise UnsafeWebhookUrl("the URL must not have a #fragment")
    default_port = 443 if parts.scheme == "https" else 80
    netloc = parts.netloc
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(parts.scheme, parts.hostname, port or default_port, netloc, path)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(target: Target) -> list[IPAddress]:
    literal = _literal(target.host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve {target.host}: {exc}") from None
    found: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    if not found:
        raise OSError(f"cannot resolve {target.host}")
    return found


def check_addresses(target: Target, addresses: list[IPAddress], *, allow_private: bool) -> None:
    if allow_private:
        return
    for ip in addresses:
        if not address_is_public(ip):
            raise UnsafeWebhookUrl(
                f"{target.host} is (or resolves to) {ip}, a private, loopback or internal "
                "address; webhooks go to public addresses only (operators may allow private "
                "ones with VETTA_WEBHOOK_ALLOW_PRIVATE=1)"
            )


def check_url(url: str, *, allow_private: bool, resolve_names: bool = True) -> Target:
    """Refuses what the guard refuses, at registration. A name that cannot be resolved now is
    accepted: it is checked again before every request."""
    target = parse_url(url)
    literal = _literal(target.host)
    if literal is not None:
        check_addresses(target, [literal], allow_private=allow_private)
    elif resolve_names:
        try:
            addresses = resolve(target)
        except OSError:
            return target
        check_addresses(target, addresses, allow_private=allow_private)
    return target


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str
    duration_ms: int
    refused: bool = False  # the guard refused the URL: retrying cannot help

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def send(
    *, url: str, secret: str, body: bytes, headers: dict[str, str], allow_private: bool
) -> SendResult:
    """POSTs `body` once, signed now; never raises for a network or HTTP failure."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = parse_url(url)
        addresses = resolve(target)
        check_addresses(target, addresses, allow_private=allow_private)
    except UnsafeWebhookUrl as exc:
        return SendResult(None, f"refused: {exc}", elapsed(), refused=True)
    except OSError as exc:
        return SendResult(None, str(exc), elapsed())
    ip = addresses[0]
    host = f"[{ip}]" if isinstance(ip, ipaddress.IPv6Address) else str(ip)
    pinned = f"{target.scheme}://{host}:{target.port}{target.path}"
    signed = {
        **headers,
        "Host": target.netloc,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret=secret, timestamp=int(time.time()), body=body),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        with (
            httpx.Client(
                timeout=TIMEOUT, follow_redirects=False, trust_env=False, verify=TLS_VERIFY
            ) as client,
            client.stream(
                "POST", pinned, content=body, headers=signed, extensions=extensions
            ) as response,
        ):
            # The receiver's body is not read: it is not needed, and it could be huge.
            code = response.status_code
    except httpx.HTTPError as exc:
        return SendResult(None, f"{type(exc).__name__}: {exc}"[:500], elapsed())
    error = ""
    if 300 <= code < 400:
        error = "redirects are not followed; register the final URL"
    elif not 200 <= code < 300:
        error = f"the receiver answered HTTP {code}"
    return SendResult(code, error, elapsed())
