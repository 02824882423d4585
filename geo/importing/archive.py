"""A zip archive opened safely: its central directory checked before anything is expanded.

An upload's zip (a zipped shapefile, a KMZ, an Excel workbook) is refused
whole when a member's path is absolute or climbs out with ``..``, when it is a
link or encrypted, when it has too many members, or when the sizes its
central directory declares would expand past the limits (in total, or at a
ratio only a decompression bomb has). Members are then read into memory,
never to disk, and never past their declared size: a member whose data
expands further than it declared is refused as damaged.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from geo.importing.limits import MB, Limits, Refused, megabytes

#: The parts of a shapefile the Atlas reads (``.shp``, ``.shx`` and ``.dbf`` are required).
SHAPEFILE_PARTS = ("shp", "shx", "dbf", "prj", "cpg")
SHAPEFILE_REQUIRED = ("shp", "shx", "dbf")
#: Other members that can hold a layer (their content is checked when read, like an upload's).
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".geojson", ".json", ".gpkg", ".kml")
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Dataset:
    """One layer an archive holds: a shapefile (its parts by suffix) or one data file (its only part)."""

    name: str
    parts: Mapping[str, zipfile.ZipInfo]
    shapefile: bool


def _unsafe_path(name: str) -> bool:
    """Whether a member's path is absolute, names a drive, climbs out with ``..`` or hides a NUL."""
    path = name.replace("\\", "/")
    return "\x00" in path or path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def open_archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking every member its central directory declares.

    Raises :class:`Refused` on the first problem; nothing has been expanded yet.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise Refused("import_read.zip.unreadable") from error
    if len(infos) > limits.zip_members:
        raise Refused("import_read.zip.too_many_members", count=len(infos), limit=limits.zip_members)
    for info in infos:
        if _unsafe_path(info.filename) or _is_link(info):
            raise Refused("import_read.zip.unsafe_path", member=info.filename)
        if info.flag_bits & 0x1:
            raise Refused("import_read.zip.encrypted", member=info.filename)
        if info.compress_type not in _METHODS:
            raise Refused("import_read.zip.member_unreadable", member=info.filename)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.zip_ratio_from_bytes and ratio > limits.zip_ratio:
            raise Refused(
                "import_read.zip.bomb", member=info.filename, ratio=int(ratio), limit=limits.zip_ratio
            )
    declared = sum(info.file_size for info in infos)
    if declared > limits.zip_bytes:
        raise Refused(
            "import_read.zip.too_large", size_mb=megabytes(declared), limit_mb=limits.zip_bytes // MB
        )
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, expanded in memory and never past the size the central directory declared."""
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                out += chunk
                if len(out) > info.file_size:
                    raise Refused("import_read.zip.member_unreadable", member=info.filename)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise Refused("import_read.zip.member_unreadable", member=info.filename) from error
    if len(out) != info.file_size:
        raise Refused("import_read.zip.member_unreadable", member=info.filename)
    return bytes(out)


def _is_junk(path: PurePosixPath) -> bool:
    """Folders and files an archiving tool adds by itself (``__MACOSX/``, ``.DS_Store``)."""
    return any(part.startswith((".", "__MACOSX")) for part in path.parts)


def datasets(archive: zipfile.ZipFile) -> list[Dataset]:
    """The layers an archive holds: its shapefiles (named by path without suffix), then its data files."""
    stems: dict[str, str] = {}
    shapefiles: dict[str, dict[str, zipfile.ZipInfo]] = {}
    files: list[Dataset] = []
    for info in archive.infolist():
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or _is_junk(path):
            continue
        suffix = path.suffix.lower()
        if suffix[1:] in SHAPEFILE_PARTS:
            stem = str(path.with_suffix(""))
            stems.setdefault(stem.lower(), stem)
            shapefiles.setdefault(stem.lower(), {})[suffix[1:]] = info
        elif suffix in DATA_SUFFIXES:
            files.append(Dataset(str(path), {"file": info}, shapefile=False))
    found = [
        Dataset(stems[key], parts, shapefile=True) for key, parts in shapefiles.items() if "shp" in parts
    ]
    return [*found, *files]
