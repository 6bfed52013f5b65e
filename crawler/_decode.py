"""Content-Encoding decoded in bounded steps, so a decompression bomb costs at most the cap.

httpx would inflate a whole network chunk at once (64 KB of gzip can become 64 MB);
here every step yields at most STEP bytes and the caller stops at its cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = ["ACCEPT_ENCODING", "BoundedDecoder", "UnsupportedEncoding"]

STEP = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"


class UnsupportedEncoding(ValueError):
    pass


class BoundedDecoder:
    def __init__(self, content_encoding: str) -> None:
        codings = [
            c.strip().lower() for c in content_encoding.split(",") if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnsupportedEncoding(f"unsupported content encoding {content_encoding!r}")
        self.coding = codings[0] if codings else None
        self._inflater: zlib._Decompress | None = None

    def _start(self, first: bytes) -> zlib._Decompress:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped by the standard and raw in some servers: tell them apart by the header
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of at most STEP bytes each; raises zlib.error on a corrupt stream."""
        if self.coding is None:
            for i in range(0, len(data), STEP):
                yield data[i : i + STEP]
            return
        if self._inflater is None:
            if not data:
                return
            self._inflater = self._start(data)
        pending = data
        while pending:
            piece = self._inflater.decompress(pending, STEP)
            pending = self._inflater.unconsumed_tail
            if piece:
                yield piece
            elif not pending:
                break
