"""Checking uploaded files before they are stored: the type by extension and content, and the size.

The content is checked by its structure, not only its first bytes (issue 21, finding 15): a PDF must parse with
pypdf and have a page; an Office or OpenDocument file must be a readable zip holding the parts its type needs,
within limits on its entries and unpacked size (against zip bombs). ``%PDF-`` followed by HTML is refused.

Every app that accepts a file calls ``validate_upload`` from its form's ``clean_<field>``. Stored files live
under MEDIA_ROOT (outside the web root: nothing serves it directly) and are served only by views that check
access through the app's selectors.
"""

import logging
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader

logger = logging.getLogger(__name__)

# Extension -> (description, leading "magic" bytes the content must start with; None means plain text).
KNOWN_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("PDF", (b"%PDF-",)),
    "docx": ("Word document", (b"PK\x03\x04",)),
    "xlsx": ("Excel spreadsheet", (b"PK\x03\x04",)),
    "pptx": ("PowerPoint presentation", (b"PK\x03\x04",)),
    "odt": ("OpenDocument text", (b"PK\x03\x04",)),
    "doc": ("Word 97-2003 document", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "xls": ("Excel 97-2003 spreadsheet", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "png": ("PNG image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("JPEG image", (b"\xff\xd8\xff",)),
    "jpeg": ("JPEG image", (b"\xff\xd8\xff",)),
    "csv": ("CSV file", None),
    "txt": ("text file", None),
}
DOCUMENT_TYPES = ("pdf", "docx", "doc", "xlsx", "xls", "odt", "pptx", "csv", "txt", "png", "jpg", "jpeg")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The parts each zip-based type must hold (any one of each tuple), and what an ``mimetype`` entry must say.
ZIP_PARTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "docx": (("[Content_Types].xml",), ("word/document.xml",)),
    "xlsx": (("[Content_Types].xml",), ("xl/workbook.xml",)),
    "pptx": (("[Content_Types].xml",), ("ppt/presentation.xml",)),
    "odt": (("mimetype",), ("content.xml",)),
}
ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text"}
MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine; anything earlier is not text.
        if error.start < len(head) - 4:
            return False
    return True


def validate_upload(file, allowed_types=DOCUMENT_TYPES, max_bytes: int = DEFAULT_MAX_BYTES):
    """Raise ValidationError unless ``file`` has an allowed extension, matching content and a size within limit.

    ``allowed_types`` are extensions without a dot (keys of KNOWN_TYPES). Returns the file, rewound.
    """
    allowed = [t.lower().lstrip(".") for t in allowed_types]
    unknown = [t for t in allowed if t not in KNOWN_TYPES]
    if unknown:
        raise ValueError(f"No content check is known for: {', '.join(unknown)}")
    names = list(dict.fromkeys(KNOWN_TYPES[t][0] for t in allowed))
    name = PurePath(getattr(file, "name", "") or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        raise ValidationError(f"The selected file must be a {', '.join(names[:-1])} or {names[-1]}"
                              if len(names) > 1 else f"The selected file must be a {names[0]}", code="type")
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError("The selected file is empty", code="empty")
    if size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {filesizeformat(max_bytes)}", code="size")
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    magic = KNOWN_TYPES[extension][1]
    ok = _looks_like_text(head) if magic is None else any(head.startswith(m) for m in magic)
    if ok and extension == "pdf":
        ok = _is_pdf(file)
    elif ok and extension in ZIP_PARTS:
        ok = _is_office_zip(file, extension)
    file.seek(0)
    if not ok:
        raise ValidationError(f"The selected file is not a real {KNOWN_TYPES[extension][0]}", code="content")
    return file


def _is_pdf(file) -> bool:
    """Whether pypdf can read the document's structure and find at least one page."""
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        return len(reader.pages) > 0
    except Exception as error:  # noqa: BLE001 - any parsing failure means "not a PDF we accept"
        logger.info("Upload refused: not a readable PDF (%s)", type(error).__name__)
        return False


def _is_office_zip(file, extension: str) -> bool:
    """Whether the file is a readable zip holding the parts its type needs, within the size limits."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                return False
            names = {e.filename for e in entries}
            if not all(any(part in names for part in choice) for choice in ZIP_PARTS[extension]):
                return False
            if extension in ODF_MIMETYPES and archive.read("mimetype").strip() != ODF_MIMETYPES[extension]:
                return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        return False
    return True
