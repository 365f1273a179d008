"""The open-data package: every list's full CSV, its Table Schema and a `datapackage.json`, in
one ZIP (docs/architecture.md, « Données ouvertes »).

The ZIP is written from the database by `build_package`, atomically, to `OPEN_DATA_ROOT` on
the app server's own disk, and stamped with the data version and the day it describes
(`core.cache.data_version`: every write to published data changes it; the day matters since
the people's current titles depend on it). `current_package` serves the file if its stamp is
current and otherwise rebuilds it, once: a lock makes the other requests of this server wait
for that build and then serve its result. The command `build_open_data` builds it ahead.
"""

import datetime
import fcntl
import hashlib
import itertools
import json
import os
import secrets
import time
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from core.cache import data_version
from public.csv_format import csv_lines, row_batches
from public.schemas import LICENCE, csv_dialect, table_schema
from public.views.lists import PublicList
from public.views.pacts import PACT_LIST, SIGNING_LIST
from public.views.people import PERSON_LIST
from public.views.territories import BODY_LIST, TERRITORY_LIST

# Every public list, in the order the page and the package show them.
DATASETS: tuple[PublicList, ...] = (PACT_LIST, SIGNING_LIST, TERRITORY_LIST, BODY_LIST, PERSON_LIST)
PACKAGE_NAME = "pactes-territoriaux"
STAMP_FILE = "paquet.json"
LOCK_FILE = ".construction.lock"


@dataclass(frozen=True)
class PackageFile:
    """The ZIP on disk and what it describes: `stamp` (data version and day), when it was
    built, how long that took, its size and what each CSV holds."""

    filename: str
    stamp: str
    built_at: str
    seconds: float
    size: int
    rows: dict[str, int]

    @property
    def path(self) -> Path:
        return open_data_root() / self.filename

    @property
    def built(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.built_at)


class SiteAddress:
    """What the exports ask of a request, outside one: the site's address, so that the `url`
    column of a file built by the command reads as the exports' (`absolute_url`)."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/") + "/"

    def build_absolute_uri(self, location: str) -> str:
        return urljoin(self.base_url, location.lstrip("/"))


def open_data_root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def current_stamp() -> str:
    """The data version and the day: the package is current while both are unchanged."""
    version = data_version()
    token = version.token if version is not None else "sans-version"
    return f"{token}/{timezone.localdate().isoformat()}"


def _csv_bytes(spec: PublicList, request):
    """The list's full CSV, byte for byte its `export.csv` without parameters, line by line."""
    exporter = spec.exporter
    queryset = spec.selector(filters={}).queryset
    rows = itertools.chain.from_iterable(row_batches(exporter, queryset))
    for line in csv_lines(exporter, rows, request):
        yield line.encode("utf-8")


def datapackage(resources: list[dict]) -> dict:
    """The Data Package descriptor (Frictionless) of the ZIP."""
    return {
        "name": PACKAGE_NAME,
        "title": "Pactes territoriaux de la Région Grand Est",
        "description": (
            "Les pactes que la Région Grand Est signe avec ses territoires (Pacte Offensive "
            "Croissance Emploi et autres programmes) : pactes publiés, signatures, territoires, "
            "organismes et personnes. Chaque fichier CSV est l'export complet de la liste du "
            "même nom sur le site, avec son schéma (Table Schema)."
        ),
        "licenses": [LICENCE],
        "created": timezone.now().isoformat(timespec="seconds"),
        "keywords": ["pactes territoriaux", "Région Grand Est", "POCE", "collectivités"],
        "resources": resources,
    }


def write_package(file, request) -> dict[str, int]:
    """Write the ZIP to `file`: each list's CSV and schema, then `datapackage.json` listing
    them with their size and SHA-256. Returns the row count of each CSV."""
    resources, counts = [], {}
    built = timezone.localtime().timetuple()[:6]

    def entry(name: str) -> zipfile.ZipInfo:
        # Dated like the build: a streamed entry would otherwise be dated 1980.
        info = zipfile.ZipInfo(name, date_time=built)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for spec in DATASETS:
            exporter = spec.exporter
            name = exporter.identifier
            digest, size, lines = hashlib.sha256(), 0, 0
            with archive.open(entry(f"{name}.csv"), "w") as member:
                for chunk in _csv_bytes(spec, request):
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    lines += 1
            counts[name] = lines - 1  # the header line
            schema = table_schema(exporter)
            archive.writestr(entry(f"{name}.schema.json"), _json(schema))
            resources.append(
                {
                    "name": name,
                    "path": f"{name}.csv",
                    "title": exporter.title,
                    "description": exporter.description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": size,
                    "hash": f"sha256:{digest.hexdigest()}",
                    "dialect": csv_dialect(),
                    "schema": f"{name}.schema.json",
                    "licenses": [LICENCE],
                }
            )
        archive.writestr(entry("datapackage.json"), _json(datapackage(resources)))
    return counts


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def build_package(request) -> PackageFile:
    """Build the ZIP now and make it the current one, atomically: it is written under a
    temporary name, then renamed, and the stamp naming it replaced last, so a reader sees the
    old file or the new one, never half of one."""
    root = open_data_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = current_stamp()  # read before the data: a change meanwhile makes it stale at once
    started = time.monotonic()
    filename = f"{PACKAGE_NAME}-{timezone.localdate().isoformat()}-{secrets.token_hex(4)}.zip"
    partial = root / f".{filename}.partiel"
    try:
        with partial.open("wb") as file:
            counts = write_package(file, request)
        os.replace(partial, root / filename)
    finally:
        partial.unlink(missing_ok=True)
    package = PackageFile(
        filename=filename,
        stamp=stamp,
        built_at=timezone.now().isoformat(timespec="seconds"),
        seconds=round(time.monotonic() - started, 3),
        size=(root / filename).stat().st_size,
        rows=counts,
    )
    stamp_partial = root / f".{STAMP_FILE}.partiel"
    stamp_partial.write_text(_json(asdict(package)), encoding="utf-8")
    os.replace(stamp_partial, root / STAMP_FILE)
    # Earlier packages: a download in progress keeps its open file until it ends.
    for old in root.glob(f"{PACKAGE_NAME}-*.zip"):
        if old.name != filename:
            old.unlink(missing_ok=True)
    return package


def latest_package() -> PackageFile | None:
    """The package last built on this server, current or not; None before the first."""
    try:
        data = json.loads((open_data_root() / STAMP_FILE).read_text(encoding="utf-8"))
        package = PackageFile(**data)
    except (OSError, ValueError, TypeError):
        return None
    return package if package.path.is_file() else None


@contextmanager
def _build_lock():
    root = open_data_root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def current_package(request) -> PackageFile:
    """The package of the current data: the one on disk if its stamp is current, else one
    built now. Concurrent requests wait for a single build, then serve it."""
    package = latest_package()
    if package is not None and package.stamp == current_stamp():
        return package
    with _build_lock():
        package = latest_package()
        if package is not None and package.stamp == current_stamp():
            return package  # built by the request that held the lock
        return build_package(request)
