#!/bin/sh
# git's merge driver for outputs/ (.gitattributes: merge=translate-outputs): two branches that
# both rewrote an output merge without a conflict, and `translate run` then rewrites it from the
# merged memory (README, "The organizer's git workflow"). git keeps the setting in this clone's
# .git/config, so every clone runs it once (make setup does). Run from the project's top folder.
set -e
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "not a git clone: no merge driver to install"
	exit 0
fi
git config merge.translate-outputs.name "translate outputs: merged, then rewritten by translate run"
# git runs a merge driver from the top folder of the clone, so the path is relative to it.
git config merge.translate-outputs.driver ".venv/bin/translate merge-output %O %A %B %P"
