#!/usr/bin/env bash
# Install the system packages a task needs, with apt on Debian/Ubuntu (sudo when not root).
# Usage: scripts/system-deps.sh base|browser|bench
# PostgreSQL + PostGIS are installed by `morharita db up` itself, only when DATABASE_URL is unset.
set -euo pipefail

need=()
case "${1:-base}" in
  base)
    python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
    command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
    # Monitoring reports: WeasyPrint needs Pango and a font with the Turkish letters; the
    # tests read the PDF back with pdftotext.
    ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
    fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
    command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
    # OGC API: the tests read /ogc with GDAL's OAPIF driver (ogrinfo, ogr2ogr) and a tile
    # with its MVT driver.
    command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
    ;;
  browser)
    [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
    ;;
  bench)
    # bench/ogc_vs_tipg.py: the HTTP load generator.
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    ;;
  *) echo "usage: $0 base|browser|bench" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${need[*]} (this script only knows apt)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Please install as root: apt-get install ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing ${need[*]} with apt ..."
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || echo "warning: apt-get update failed; trying the install anyway" >&2
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
