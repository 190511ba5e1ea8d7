"""A throwaway newsroom for a benchmark run from this folder: the project importable, and (unless
the environment says otherwise) a SQLite database and media folders in a new temporary folder."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scratch_site(prefix):
    """Set up the environment before Django is imported; returns the temporary folder."""
    sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(scratch / "media"))
    os.environ.setdefault("PHOTO_ORIGINALS_ROOT", str(scratch / "originals"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    return scratch
