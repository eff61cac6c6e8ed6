#!/bin/sh
# Set up and run the IRO and CP chair benchmarking dashboard.
#
#   sh run.sh app     create .venv if needed, install, start the app on http://localhost:8501
#   sh run.sh test    create .venv if needed, install, run the whole test suite
#   sh run.sh install create .venv if needed and install the app's packages (a deployment's servers)
#
# Needs only python3. Extra arguments after "app" go to streamlit, after "test" to pytest.
set -eu
cd "$(dirname "$0")"

VENV=${VENV:-.venv}
PY="$VENV/bin/python"

make_venv() {
  if [ -x "$PY" ]; then return 0; fi
  echo "Creating the Python environment in $VENV ..."
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian and Ubuntu ship venv's pip bootstrap in a separate package.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing python3-venv (Debian/Ubuntu) ..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$VENV"
    else
      echo "Could not create a virtual environment. On Debian or Ubuntu run:" >&2
      echo "  sudo apt-get install python3-venv" >&2
      echo "then run this command again." >&2
      exit 1
    fi
  fi
}

install() {
  # Reinstall only when a requirements file has changed since the last install.
  stamp="$VENV/.installed-$1"
  if [ ! -f "$stamp" ] || [ "$1" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    echo "Installing packages from $1 ..."
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$1"
    touch "$stamp"
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  app)
    make_venv
    install requirements.txt
    exec "$PY" -m streamlit run app.py --browser.gatherUsageStats false "$@"
    ;;
  test)
    make_venv
    install requirements-dev.txt
    exec "$PY" -m pytest "$@"
    ;;
  install)
    make_venv
    install requirements.txt
    echo "The app's packages are installed in $VENV."
    ;;
  *)
    echo "usage: sh run.sh app|test|install [extra arguments]" >&2
    exit 2
    ;;
esac
