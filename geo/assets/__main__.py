"""``python -m geo.assets``: install the vendored map scripts, or ``--check`` them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.assets.install import install
from geo.assets.manifest import DROPPED, AssetError, missing_assets, packages
from geo.paths import VENDOR_DIR


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: install the vendored assets (or ``--check`` them); non-zero on failure."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.assets",
        description="Vendor folium's CDN JS/CSS into static/vendor/ from npm.",
    )
    parser.add_argument("--vendor-dir", type=Path, default=VENDOR_DIR)
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report missing files (exit 1 if any); no npm",
    )
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_assets(args.vendor_dir)
        for path in missing:
            print(f"missing: {path}")
        print(f"{len(missing)} missing under {args.vendor_dir}")
        return 1 if missing else 0
    try:
        report = install(args.vendor_dir)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for pkg in packages():
        count = sum(f.startswith(pkg.vendor_dir + "/") for f in report.files)
        print(f"  {pkg.vendor_dir}: {count} files")
    print(
        f"vendored {len(report.files)} files ({report.total_bytes / 1024:.0f} KiB) "
        f"into {report.vendor_dir} in {report.seconds:.1f}s "
        f"(npm ci {report.npm_seconds:.1f}s); dropped {len(DROPPED)} CDN files "
        "with no npm package (see geo.assets.manifest.DROPPED)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
