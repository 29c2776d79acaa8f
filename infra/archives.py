"""Reading an uploaded ``.zip`` safely: its members checked before any is read.

An upload is refused whole (``ArchiveRefused``, one line saying why) when it
is not an archive a person made of the files it claims to hold: a damaged
zip, more than ``max_files`` files, a symlink, a path leaving the zip's root,
a member unpacking to more than ``max_ratio`` times its packed size (a zip
bomb), or more than ``max_unpacked`` bytes in all. Members ``wanted`` refuses
are listed as skipped with ``skip_reason``. Used by the admin's text import
and its bulk upload of page scans.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath


class ArchiveRefused(Exception):
    """The upload is refused whole; the message says why."""


@dataclass(frozen=True)
class Batch:
    """What an upload holds: ``kind`` names its files in messages (".txt files"),
    ``wanted(name)`` says which are taken, the others skipped with ``skip_reason``."""

    kind: str
    nothing: str  # the refusal of an upload holding none of them
    wanted: object
    skip_reason: str
    max_files: int
    max_unpacked: int
    max_ratio: int
    max_member: int


def upload_members(uploads, batch):
    """The files of an upload (several files, or one .zip) as ``(members, skipped)``:
    ``[(name, read), ...]`` and ``[(name, reason), ...]``; ``ArchiveRefused`` if it is
    none of those, or holds nothing ``batch`` wants."""
    uploads = list(uploads)
    if not uploads:
        raise ArchiveRefused(f"choose the {batch.kind}, or one .zip, to upload")
    zips = [u for u in uploads if u.name.lower().endswith(".zip")]
    if zips and len(uploads) > 1:
        raise ArchiveRefused(f"upload one .zip, or {batch.kind}, not both together")
    if zips:
        members, skipped = zip_members(zips[0], batch)
    else:
        members, skipped = file_members(uploads, batch)
    if not members:
        raise ArchiveRefused(batch.nothing)
    return members, skipped


def file_members(uploads, batch):
    if len(uploads) > batch.max_files:
        raise ArchiveRefused(f"{len(uploads):,} files; a batch has at most {batch.max_files:,}")
    members, skipped, seen = [], [], set()
    for upload in uploads:
        name = safe_name(PurePosixPath(upload.name.replace("\\", "/")).name)
        if not batch.wanted(name):
            skipped.append((name, batch.skip_reason))
            continue
        while name in seen:
            name = f"_{name}"
        seen.add(name)
        members.append((name, upload.read))
    return members, skipped


def zip_members(upload, batch):
    """``([(safe path, read), ...] sorted, [(name, reason), ...])`` of the zip ``upload``."""
    max_files, max_unpacked, max_ratio = batch.max_files, batch.max_unpacked, batch.max_ratio
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveRefused(f"the .zip cannot be read ({error})") from None
    files = [info for info in infos if not info.is_dir()]
    if len(files) > max_files:
        raise ArchiveRefused(
            f"the .zip holds {len(files):,} files; a batch has at most {max_files:,}"
        )
    total = 0
    members, skipped = [], []
    for info in files:
        name = member_name(info)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveRefused(f"the .zip holds a symlink ({name}); links are not imported")
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
            raise ArchiveRefused(f"a path in the .zip leaves its folder: {name}")
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > max_ratio * packed and info.file_size > 1024 * 1024:
            raise ArchiveRefused(
                f"{name} unpacks to {info.file_size:,} bytes from {info.compress_size:,}: "
                "the .zip looks like a zip bomb and was refused"
            )
        if total > max_unpacked:
            raise ArchiveRefused(
                f"the .zip unpacks to more than {max_unpacked // 1024 // 1024} MB; split the batch"
            )
        if not batch.wanted(path.name):
            skipped.append((name, batch.skip_reason))
            continue
        members.append((safe_path(path), _reader(archive, info, batch.max_member)))
    return sorted(members, key=lambda member: member[0]), skipped


def _reader(archive, info, max_member):
    def read():
        # At most what the member declared (and the caller's own limit): a
        # member lying about its size is cut, never read without end.
        with archive.open(info) as member:
            return member.read(min(info.file_size, max_member + 1))

    return read


def member_name(info):
    """A member's name as its creator wrote it: zips from Windows carry GBK names
    without saying so (Python reads them as cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def safe_name(name, fallback="file"):
    cleaned = "".join(c if c.isprintable() and c not in '\\:*?"<>|' else "_" for c in name)
    return cleaned.strip(" .") or fallback


def safe_path(path):
    return "/".join(safe_name(part) for part in path.parts)
