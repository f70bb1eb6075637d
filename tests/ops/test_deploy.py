"""deploy/ (issue 15): the nginx config passes `nginx -t` and really serves the theme's hashed files with a
year's caching while it hands pages and /api to a real `roundtable serve`; the compose file, the systemd
units and the env example name only `roundtable` commands and options that exist and only declared settings."""

from __future__ import annotations

import getpass
import os
import re
import shlex
import subprocess
import time
import warnings
from pathlib import Path

import click
import pytest
import requests
import yaml
from support.live import LiveServer, free_port

from comments_server.settings import BY_NAME
from roundtable.cli import main

from server.conftest import make_catalog, write_catalog

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = "/usr/sbin/nginx"
NOT_IN_SETTINGS = {"INSTANCE_PATH"}  # read before the settings load (settings.instance_path)
HASHED_CSS = "assets/stylesheets/main.0123abcd.min.css"


def _deploy_files():
    return sorted(p for p in DEPLOY.rglob("*") if p.is_file())


def _roundtable_commands():
    """Every `roundtable ...` command line of deploy/: (file, argument list after `roundtable`)."""
    found = []
    for path in _deploy_files():
        text = path.read_text()
        if path.name == "compose.yaml":
            for name, service in yaml.safe_load(text)["services"].items():
                command = service.get("command") or []
                if command[:1] == ["roundtable"]:
                    found.append((f"{path.name}:{name}", command[1:]))
        for line in text.splitlines():
            if line.startswith("ExecStart="):
                words = shlex.split(line.split("=", 1)[1])
                assert words[0].endswith("/roundtable"), f"{path.name}: ExecStart runs {words[0]}, not roundtable"
                found.append((path.name, words[1:]))
            if line.startswith("CMD "):
                words = yaml.safe_load(line[4:])
                found.append((path.name, words[1:]))
    return found


def _parse(command, args, name="roundtable", parent=None):
    """Parse ``args`` as click would run them; return the command path. Bad commands or options raise."""
    ctx = command.make_context(name, list(args), parent=parent)
    if not isinstance(command, click.Group):
        return [name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        rest = [*ctx.protected_args, *ctx.args]
    sub_name, sub, rest = command.resolve_command(ctx, rest)
    return [name, *_parse(sub, rest, sub_name, ctx)]


def test_every_command_in_deploy_is_a_roundtable_command_with_options_that_exist():
    commands = _roundtable_commands()
    paths = {" ".join(_parse(main, args)[1:]) for _, args in commands}
    # the processes docs/deployment.md names: app servers, the worker, migrations and the daily jobs
    assert {"serve", "worker", "migrate", "reviews escalate", "lrs-forward"} <= paths, paths
    with pytest.raises(click.UsageError):  # the check can fail: an option serve does not have
        _parse(main, ["serve", "--no-such-option"])


def test_every_setting_named_in_deploy_and_the_deployment_page_is_declared():
    texts = {p.name: p.read_text() for p in _deploy_files()}
    texts["deployment.md"] = (DEPLOY.parent / "docs" / "deployment.md").read_text()
    named = {(name, m, star) for name, text in texts.items()
             for m, star in re.findall(r"ROUNDTABLE_([A-Z0-9_]+)(\*?)", text)}

    def known(name, star):  # ROUNDTABLE_SMTP_* stands for the settings that start so
        return any(n.startswith(name) for n in BY_NAME) if star else name in BY_NAME or name in NOT_IN_SETTINGS

    unknown = sorted(f"{file}: ROUNDTABLE_{m}{star}" for file, m, star in named if not known(m, star))
    assert not unknown, f"not declared in comments_server/settings.py: {unknown}"
    env = dict(line.split("=", 1) for line in texts["roundtable.env.example"].splitlines()
               if line and not line.startswith("#"))
    # what the deployment page says must be equal on every server is in the one file every process reads
    for name in ("DATABASE_URL", "SECRET_KEY_FILE", "RATELIMIT_STORAGE_URI", "UPLOADS_BACKEND", "SITE_DIR",
                 "BASE_URL", "NOTIFY_EMBEDDED_WORKER"):
        assert f"ROUNDTABLE_{name}" in env, name


def _nginx_config(tmp_path, upstream, site="/srv/roundtable/site", port=None):
    """A main nginx.conf around deploy/nginx (the server block as shipped, the site and port as given)."""
    server = (DEPLOY / "nginx" / "roundtable.conf").read_text().replace("/srv/roundtable/site", str(site))
    if port:
        server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (tmp_path / "server.conf").write_text(server)
    (tmp_path / "upstream.conf").write_text(upstream)
    main_conf = tmp_path / "nginx.conf"
    # as root, nginx's workers would run as nobody, who cannot read pytest's folders (0700)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    main_conf.write_text(f"""
{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/upstream.conf;
    include {tmp_path}/server.conf;
}}
""")
    return main_conf


def _nginx():
    assert Path(NGINX).exists(), "nginx is missing: `make system-deps` (or .ci/run) installs Debian's nginx"
    return NGINX


@pytest.mark.parametrize("upstream", ["upstream-hosts.conf", "upstream-compose.conf"])
def test_the_nginx_config_passes_nginx_t(tmp_path, upstream):
    text = (DEPLOY / "nginx" / upstream).read_text()
    services = set(yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"])
    for host in re.findall(r"server ([a-z0-9]+):8000", text):  # compose names resolve only inside compose
        assert host in services, f"{upstream} names {host}, which deploy/compose.yaml does not run"
        text = text.replace(f"server {host}:8000", "server 127.0.0.1:8000")
    result = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(_nginx_config(tmp_path, text))],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture
def app_server(tmp_path):
    site = tmp_path / "site"
    write_catalog(site, make_catalog())
    (site / HASHED_CSS).parent.mkdir(parents=True)
    (site / HASHED_CSS).write_text("body{color:#222}")
    (site / "assets" / "images").mkdir()
    (site / "assets" / "images" / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    instance = tmp_path / "instance"
    instance.mkdir()
    server = LiveServer(site, instance, free_port(), PROXY_FIX=1).start()
    try:
        yield server
    finally:
        server.stop()


def test_nginx_serves_hashed_assets_for_a_year_and_hands_pages_and_the_api_to_the_app(tmp_path, app_server):
    port = free_port()
    upstream = f"upstream roundtable_app {{ server 127.0.0.1:{app_server.port}; keepalive 4; }}\n"
    conf = _nginx_config(tmp_path, upstream, site=app_server.site_dir, port=port)
    nginx = subprocess.Popen([_nginx(), "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(url + "/api/session", timeout=1)
                break
            except requests.ConnectionError:
                assert nginx.poll() is None and time.monotonic() < deadline, nginx.stdout.read().decode()
                time.sleep(0.1)
        css = requests.get(f"{url}/{HASHED_CSS}")
        assert css.status_code == 200 and css.text == "body{color:#222}"
        assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Security-Policy" not in css.headers  # nginx's answer: the app never saw it
        image = requests.get(f"{url}/assets/images/favicon.png")
        assert image.status_code == 200 and image.headers["Cache-Control"] == "public, max-age=3600"
        session = requests.get(f"{url}/api/session")  # proxied to the app
        assert session.status_code == 200 and "csrf_token" in session.json()
        page = requests.get(url + "/")  # pages come from the app, with its Content-Security-Policy
        assert page.status_code == 200 and "Content-Security-Policy" in page.headers
        for private in ("/catalog.json", "/coach-notes.json"):
            assert requests.get(url + private).status_code == 404
        assert requests.get(f"{url}/assets/stylesheets/missing.0123abcd.min.css").status_code == 404
    finally:
        nginx.terminate()
        nginx.wait(10)
