"""URL canonicalisation and site scope."""

from __future__ import annotations

import functools
import ipaddress
import posixpath
import re
import socket
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import tldextract

__all__ = ["SiteScope", "canonicalize", "registrable_domain"]

# Parameters that identify a visit or a campaign, never the content.
_TRACKING_EXACT = frozenset(
    {
        "gclid",
        "gclsrc",
        "dclid",
        "fbclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "hsctatracking",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "srsltid",
        "sessionid",
        "session_id",
        "sid",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
        "cfid",
        "cftoken",
    }
)
_TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_", "vero_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path or query; everything else is percent-encoded once.
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = "/:@!$'()*+,;-._~%?"


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$")


@functools.lru_cache(maxsize=1024)  # a crawl meets few hosts, in every link
def _normalize_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        # 2130706433, 0x7f.1 and 0177.0.0.1 are IPv4 addresses to browsers and resolvers alike.
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of an absolute http(s) URL, or None when it is not one.

    Fragments, tracking and session parameters and default ports are dropped,
    the host lowercased, dot segments resolved, the query sorted.
    """
    url = url.strip()
    if base is not None:
        try:
            # "/path" needs only the base's origin (the usual site link); the rest goes through urljoin
            url = _origin(base) + url if url.startswith("/") and not url.startswith("//") else urljoin(base, url)
        except ValueError:
            return None
    return _canonical(url)


@functools.lru_cache(maxsize=256)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


# Pages of one site link the same URLs over and over (navigation, footer): canonicalised once.
@functools.lru_cache(maxsize=8192)
def _canonical(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = _normalize_host(parts.hostname)
    if host is None:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = parts.path.split(";jsessionid=", 1)[0] or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and path != "/":
        path += "/"
    path = quote(unquote(path), safe=_SAFE_PATH)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(pairs), safe=_SAFE_QUERY)
    return urlunsplit((scheme, netloc, path, query, ""))


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: a crawl must never fetch the list.
    return tldextract.TLDExtract(suffix_list_urls=())


def registrable_domain(host: str) -> str:
    """partner.co.uk for blog.partner.co.uk; the host itself for IPs and single labels."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    extracted = _extractor()(host)
    if extracted.suffix and extracted.domain:
        return f"{extracted.domain}.{extracted.suffix}"
    # Unknown suffix (intranet names, reserved test TLDs): the last two labels.
    labels = host.split(".")
    return ".".join(labels[-2:])


class SiteScope:
    """Which URLs belong to the partner's site: the home page's registrable domain."""

    def __init__(self, home_url: str) -> None:
        host = urlsplit(home_url).hostname or ""
        self.domain = registrable_domain(host)

    def contains(self, url: str) -> bool:
        host = urlsplit(url).hostname
        return host is not None and registrable_domain(host) == self.domain
