"""Why an input given to `renewals extract` is not an HTML page, told from its first bytes,
so a PNG, a JSON file or an empty file is reported as skipped instead of yielding nothing."""

# Signatures of the binary files people most often pass by mistake.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip file",
}


def not_html(data: bytes) -> str | None:
    """None for what may be an HTML page, else why it is not (e.g. "a PNG image")."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        return "empty"
    for magic, kind in _MAGIC.items():
        if text.startswith(magic):
            return kind
    if b"\x00" in text[:4096]:
        return "a binary file"
    if text[:1] in (b"{", b"["):
        return "JSON, not HTML"
    if b"<" not in text[:65536]:
        return "plain text, not HTML"
    return None
