"""Our photo pipeline against Wagtail's rendition pipeline, same run, same file, same outputs.

    .venv/bin/python bench/bench_wagtail_renditions.py [--rounds 5] [--threads 1]
                     [--imaging-module articles.photos.imaging]

What it does:

- Makes (or reuses) a virtualenv for Wagtail under /tmp/wagtail-bench-venv (`pip install
  wagtail`). Wagtail is never a dependency of the project: it lives only in that venv.
- Writes a deterministic noisy 24-megapixel JPEG (6000x4000: gradients under
  Image.effect_noise, which Pillow seeds the same way every run) and a 50-megapixel one.
- Interleaves rounds (order alternating), each side in a fresh child process, and reports the
  median and the per-round ratio:
  (a) ours: the public master from the upload, then every rendition the project makes
      (RENDITION_WIDTHS x JPEG/WebP plus the square crops SQUARE_WIDTHS x JPEG/WebP), from the
      master. If the imaging module has a `process_upload(fileobj, *, widths, squares, formats,
      focal_point, threads)` function (decode once, everything from it: what the task worker
      runs, articles/photos/pipeline.py) that is timed instead.
  (b) Wagtail: a minimal Wagtail project (SQLite, temp dir) in the Wagtail venv; one
      Image per round, then `image.get_rendition(spec)` for the same sizes and formats
      (`width-640|format-webp|webpquality-80`, `fill-160x160|format-jpeg|jpegquality-82`, ...),
      one after another; also `image.get_renditions(*specs)` (Wagtail's own 3-thread batch).
  (c) peak RSS of a child that puts the 50-megapixel file through our pipeline (os.wait4).

The module under test is IMAGING_MODULE below (one constant). Timings exclude imports and
Django setup on both sides.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMAGING_MODULE = "articles.photos.imaging"

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL_VENV = Path(os.environ.get("WAGTAIL_BENCH_VENV", "/tmp/wagtail-bench-venv"))
SQUARE_WIDTHS = (160, 480)  # articles/photos/imaging.py
FORMATS = ("jpeg", "webp")
JPEG_QUALITY, WEBP_QUALITY = 82, 80  # what make_rendition uses
CAMERAS = {"24mp.jpg": (6000, 4000), "50mp.jpg": (8688, 5792)}
SPEEDUP_GOAL = 4.0
RSS_BUDGET_MB = 600


# --------------------------------------------------------------------------------- test files


def write_camera_file(path, size):
    from PIL import Image, ImageChops

    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    glow = Image.radial_gradient("L").resize(size)
    noise = Image.effect_noise(size, 40)
    photo = Image.merge(
        "RGB",
        tuple(ImageChops.add(band, noise, scale=1.3) for band in (across, down, glow)),
    )
    photo.save(path, "JPEG", quality=90)


# ------------------------------------------------------------------------------ our pipeline


def rendition_plan(width, height, widths):
    """articles.photos.pipeline.rendition_plan() without the model: [(width, square)], each once."""
    plan = sorted({min(w, width) for w in widths})
    side = min(width, height)
    squares = sorted({min(w, side) for w in SQUARE_WIDTHS})
    return [(w, False) for w in plan] + [(w, True) for w in squares]


def run_ours(path, module_name, threads):
    """In the child: master + every rendition. Returns timings and what was made."""
    import importlib

    sys.path.insert(0, str(ROOT))
    imaging = importlib.import_module(module_name)
    widths = tuple(getattr(imaging, "RENDITION_WIDTHS", (320, 640, 960, 1280, 1920, 2560)))
    data = Path(path).read_bytes()
    started = time.perf_counter()
    if hasattr(imaging, "process_upload"):
        result = imaging.process_upload(
            io.BytesIO(data),
            widths=widths,
            squares=SQUARE_WIDTHS,
            formats=FORMATS,
            focal_point=None,
            threads=threads,
        )
        finished = time.perf_counter()
        made = [(k[0], k[1], k[2], v.width, v.height, len(v.data)) for k, v in result.renditions.items()]
        return {
            "seconds": finished - started,
            "master_seconds": None,
            "renditions": len(made),
            "master_bytes": len(result.master.data),
            "bytes": sum(m[-1] for m in made),
            "made": made,
        }
    master, _, width, height = imaging.encode_master(io.BytesIO(data))
    mastered = time.perf_counter()
    made = []
    for w, square in rendition_plan(width, height, widths):
        for fmt in FORMATS:
            out, out_w, out_h = imaging.make_rendition(io.BytesIO(master), width=w, format=fmt, square=square)
            made.append((w, square, fmt, out_w, out_h, len(out)))
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "master_seconds": mastered - started,
        "renditions": len(made),
        "master_bytes": len(master),
        "bytes": sum(m[-1] for m in made),
        "made": made,
    }


# --------------------------------------------------------------------------- Wagtail's side


WAGTAIL_APPS = [
    "wagtail.images",
    "wagtail.documents",
    "wagtail.users",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]


def _wagtail_django(folder):
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        INSTALLED_APPS=WAGTAIL_APPS,
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(folder) / "db.sqlite3")}
        },
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        MEDIA_ROOT=str(Path(folder) / "media"),
        MEDIA_URL="/media/",
        STATIC_URL="/static/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        WAGTAIL_SITE_NAME="bench",
        WAGTAILADMIN_BASE_URL="http://localhost",
        ROOT_URLCONF=__name__,
        LOGGING_CONFIG=None,
    )
    django.setup()


urlpatterns = []  # ROOT_URLCONF for the Wagtail child


def wagtail_specs(width, height, widths):
    specs = []
    for w, square in rendition_plan(width, height, widths):
        for fmt in FORMATS:
            quality = f"jpegquality-{JPEG_QUALITY}" if fmt == "jpeg" else f"webpquality-{WEBP_QUALITY}"
            resize = f"fill-{w}x{w}" if square else f"width-{w}"
            specs.append(f"{resize}|format-{fmt}|{quality}")
    return specs


def run_wagtail(path, folder, setup_only, widths):
    """In the child (Wagtail venv): same outputs through get_rendition and get_renditions."""
    _wagtail_django(folder)
    from django.core.management import call_command

    if setup_only:
        call_command("migrate", verbosity=0, interactive=False)
        return {}
    from django.core.files import File
    from wagtail.images.models import Image

    def new_image():
        with open(path, "rb") as f:
            return Image.objects.create(title="bench", file=File(f, name=Path(path).name))

    image = new_image()
    specs = wagtail_specs(image.width, image.height, widths)
    started = time.perf_counter()
    made = []
    for spec in specs:
        rendition = image.get_rendition(spec)
        made.append((spec, rendition.width, rendition.height, rendition.file.size))
    sequential = time.perf_counter() - started
    image.delete()

    image = new_image()
    started = time.perf_counter()
    image.get_renditions(*specs)
    batch = time.perf_counter() - started
    image.delete()
    return {
        "seconds": sequential,
        "batch_seconds": batch,
        "renditions": len(made),
        "bytes": sum(m[-1] for m in made),
        "made": made,
    }


def ensure_wagtail_venv():
    python = WAGTAIL_VENV / "bin" / "python"
    # Not `import willow`: its setup() reads Django settings, which are not configured here.
    check = [
        str(python),
        "-c",
        "import importlib.util as u; assert u.find_spec('wagtail') and u.find_spec('willow')",
    ]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"Creating {WAGTAIL_VENV} and installing wagtail ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "wagtail"], check=True)
    return python


# ----------------------------------------------------------------------------------- driver


def in_child(python, *args):
    """Run this file in a child; return (its JSON output, its peak RSS in MB)."""
    child = subprocess.Popen([str(python), __file__, *args], stdout=subprocess.PIPE, cwd=ROOT, text=True)
    output = child.stdout.read()
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"child {args} failed")
    return json.loads(output or "{}"), usage.ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="for a process_upload() pipeline")
    parser.add_argument("--imaging-module", default=IMAGING_MODULE)
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args(argv)

    wagtail_python = ensure_wagtail_venv()
    sys.path.insert(0, str(ROOT))
    ours_args = ["--imaging-module", args.imaging_module, "--threads", str(args.threads)]
    with tempfile.TemporaryDirectory(prefix="bench-wagtail-") as folder:
        files = {}
        for name, size in CAMERAS.items():
            files[name] = Path(folder) / name
            # Written by a child: on Linux a child starts from its parent's peak RSS.
            subprocess.run(
                [sys.executable, __file__, "--write", str(files[name]), *map(str, size)], check=True
            )
        wagtail_folder = Path(folder) / "wagtail"
        wagtail_folder.mkdir()
        in_child(wagtail_python, "--wagtail-setup", str(wagtail_folder))
        widths = json.dumps(_widths(args.imaging_module))

        ours, wagtail = [], []
        for n in range(args.rounds):
            steps = [
                lambda: ours.append(
                    in_child(sys.executable, "--ours", str(files["24mp.jpg"]), *ours_args)[0]
                ),
                lambda: wagtail.append(
                    in_child(
                        wagtail_python, "--wagtail", str(files["24mp.jpg"]), str(wagtail_folder), widths
                    )[0]
                ),
            ]
            for step in steps if n % 2 == 0 else reversed(steps):
                step()
            print(
                f"round {n + 1}: ours {ours[-1]['seconds']:.2f} s, Wagtail {wagtail[-1]['seconds']:.2f} s "
                f"(batch {wagtail[-1]['batch_seconds']:.2f} s), "
                f"ratio {wagtail[-1]['seconds'] / ours[-1]['seconds']:.2f}x",
                file=sys.stderr,
            )
        _, floor_mb = in_child(sys.executable, "--imports-only", *ours_args)
        big, peak_mb = in_child(sys.executable, "--ours", str(files["50mp.jpg"]), *ours_args)

    ours_s = statistics.median(r["seconds"] for r in ours)
    wagtail_s = statistics.median(r["seconds"] for r in wagtail)
    batch_s = statistics.median(r["batch_seconds"] for r in wagtail)
    ratios = [w["seconds"] / o["seconds"] for o, w in zip(ours, wagtail, strict=True)]
    masters = [r["master_seconds"] for r in ours if r["master_seconds"] is not None]

    print(
        f"\n24 MP noisy JPEG (6000x4000), {args.rounds} interleaved rounds, medians; "
        f"module {args.imaging_module}, threads {args.threads}"
    )
    print(
        f"ours: master + {ours[0]['renditions']} renditions ({ours[0]['bytes'] / 1e6:.1f} MB out); "
        f"Wagtail: {wagtail[0]['renditions']} renditions ({wagtail[0]['bytes'] / 1e6:.1f} MB out)\n"
    )
    rows = [
        ("ours, master + renditions (s)", ours_s, "Wagtail get_rendition x N", wagtail_s, wagtail_s / ours_s),
        (
            "ours, master + renditions (s)",
            ours_s,
            "Wagtail get_renditions (3 threads)",
            batch_s,
            batch_s / ours_s,
        ),
        (
            "speed-up vs Wagtail (median of per-round ratios)",
            statistics.median(ratios),
            "goal",
            SPEEDUP_GOAL,
            statistics.median(ratios) / SPEEDUP_GOAL,
        ),
        ("peak RSS, 50 MP through ours (MB)", peak_mb, "budget", RSS_BUDGET_MB, peak_mb / RSS_BUDGET_MB),
    ]
    if masters:
        rows.insert(1, ("  of which master (s)", statistics.median(masters), "", None, None))
    print(f"{'figure':<50} {'value':>8}   {'anchor':<36} {'value':>8} {'ratio':>7}")
    for label, value, anchor, anchor_value, ratio in rows:
        anchor_cell = f"{anchor_value:>8.2f}" if anchor_value is not None else f"{'':>8}"
        ratio_cell = f"{ratio:>6.2f}x" if ratio is not None else ""
        print(f"{label:<50} {value:>8.2f}   {anchor:<36} {anchor_cell} {ratio_cell:>7}")
    print(f"\nper-round ratio (Wagtail / ours): {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"(imports-only child peak RSS {floor_mb:.0f} MB; 50 MP run {big['seconds']:.2f} s)")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"ours": ours, "wagtail": wagtail, "peak_mb": peak_mb}, indent=1)
        )
    ok = statistics.median(ratios) >= SPEEDUP_GOAL and peak_mb < RSS_BUDGET_MB
    print(f"\n{'MEETS' if ok else 'MISSES'} the goal (>= {SPEEDUP_GOAL:g}x Wagtail, < {RSS_BUDGET_MB} MB).")
    return 0


def _widths(module_name):
    import importlib

    return list(
        getattr(importlib.import_module(module_name), "RENDITION_WIDTHS", (320, 640, 960, 1280, 1920, 2560))
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write_camera_file(sys.argv[2], (int(sys.argv[3]), int(sys.argv[4])))
    elif sys.argv[1:2] in (["--ours"], ["--imports-only"]):
        options = argparse.ArgumentParser()
        options.add_argument("path", nargs="?")
        options.add_argument("--imaging-module", default=IMAGING_MODULE)
        options.add_argument("--threads", type=int, default=1)
        opts = options.parse_args(sys.argv[2:])
        if sys.argv[1] == "--imports-only":
            import importlib

            sys.path.insert(0, str(ROOT))
            importlib.import_module(opts.imaging_module)
            print("{}")
        else:
            print(json.dumps(run_ours(opts.path, opts.imaging_module, opts.threads)))
    elif sys.argv[1:2] == ["--wagtail-setup"]:
        print(json.dumps(run_wagtail(None, sys.argv[2], True, None)))
    elif sys.argv[1:2] == ["--wagtail"]:
        print(json.dumps(run_wagtail(sys.argv[2], sys.argv[3], False, json.loads(sys.argv[4]))))
    else:
        sys.exit(main())
