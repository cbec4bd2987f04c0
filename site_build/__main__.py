"""The course's build steps as plain commands, for any generator that reads mkdocs.yml:

    python -m site_build check              before the pages: validate scenarios and exercises
    python -m site_build finish SITE_DIR    after them: add what the course needs besides its pages

Run them from the project folder (see site_build/finish.py). Under MkDocs the hooks
call the same functions, so `mkdocs build` and `mkdocs serve` need neither.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_build import finish, project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_build",
                                     description="Étapes de construction du cours, hors générateur.")
    parser.add_argument("-f", "--config", type=Path, default=Path("mkdocs.yml"),
                        help="la configuration du cours (par défaut : mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="vérifie les scénarios d’appel et les exercices (fichier:ligne en cas d’erreur)")
    run = commands.add_parser("finish", help="ajoute au site construit le simulateur, ses scénarios, "
                                             "la liste des exercices et la recherche sans accents")
    run.add_argument("site_dir", type=Path, help="le dossier du site construit (site/)")
    args = parser.parse_args(argv)
    try:
        course = project.load(args.config)
        if args.command == "check":
            inputs = finish.validate(course)
            print(f"{len(inputs.scenarios)} scénario(s) et {len(inputs.exercises)} exercice(s) valides")
        else:
            finish.finish(course, args.site_dir.resolve())
    except (finish.FinishError, FileNotFoundError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
