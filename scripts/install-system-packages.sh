#!/bin/sh
# Install the Debian packages translate uses, when this machine can.
# Apertium engine: apertium and its language pairs (English → es, ca, gl, eo,
# hbs; through Spanish → pt, fr, it, oc, ast, an; from Portuguese → es, gl, ca for
# the routes that start with a neural English → Portuguese hop; es ↔ gl, es ↔ ca,
# ca → it for the other candidate routes `translate routes evaluate` measures), and
# the tools that compile the glossary into their dictionaries (lt-comp, lt-append,
# lrx-comp). Review: gettext (msgfmt,
# msgcat). Handouts: chromium, Noto fonts, poppler-utils (pdftoppm, pdftotext).
# Quality checks: hunspell dictionaries of the target languages (and English,
# for `translate check texts`); a language without one gets no spelling signal.
set -u
PACKAGES="apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-eo-en apertium-hbs-eng
apertium-es-pt apertium-fr-es apertium-spa-ita apertium-oc-es apertium-spa-ast apertium-spa-arg
apertium-pt-gl apertium-por-cat apertium-es-gl apertium-spa-cat apertium-cat-ita
lttoolbox-dev apertium-dev apertium-lex-tools-dev
gettext poppler-utils chromium fonts-noto-core fonts-noto-cjk fonts-dejavu-core
hunspell-en-us hunspell-es hunspell-fr hunspell-pt-pt hunspell-ca hunspell-it hunspell-gl hunspell-hr
hunspell-sr hunspell-bs hunspell-oc hunspell-an myspell-eo hunspell-en-gb hunspell-pt-br"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "system packages: all present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system packages: no apt-get here; install these yourself for Apertium, PO checks and handouts:$missing"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "system packages: skipped (not root, no password-less sudo); missing:$missing"
    echo "  install with: sudo apt-get install$missing"
    exit 0
fi
echo "system packages: installing$missing"
$SUDO apt-get update -qq >/dev/null || echo "system packages: apt-get update failed, trying the install anyway"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { echo "system packages: apt-get install failed for:$missing"; exit 1; }
echo "system packages: done"
