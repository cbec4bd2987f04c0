"""A throwaway Debian nginx serving a built site with the shipped rules (deploy/cours.conf).

On 127.0.0.1 and a free port, with every path it writes (pid, logs, temporary files) in
`prefix`: nothing outside it is touched. Used by tests/browser/test_nginx.py and by `make bench`.
"""

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
RULES = ROOT / "deploy" / "cours.conf"


class NginxError(RuntimeError):
    pass


def available() -> bool:
    return os.access(NGINX, os.X_OK) and BROTLI_MODULE.is_file() and MIME_TYPES.is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_conf(prefix: Path, site: Path, port: int) -> str:
    """The whole configuration: a minimal main part around the shipped server rules."""
    temp = "\n".join(f"  {kind}_temp_path {prefix / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, nginx's workers would run as `nobody`, who cannot read pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
load_module {BROTLI_MODULE};
daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
  include {MIME_TYPES};
  default_type application/octet-stream;
  access_log off;
{temp}
  sendfile on;
  keepalive_timeout 65;
  server {{
    listen 127.0.0.1:{port};
    server_name localhost;
    root {site};
    include {RULES};
  }}
}}
"""


@contextlib.contextmanager
def nginx_serving(site: Path, prefix: Path):
    """nginx serving `site` with deploy/cours.conf; yields its base URL, stops it after."""
    if not available():
        raise NginxError(f"nginx or its Brotli module is missing ({NGINX}, {BROTLI_MODULE}): run `make test` "
                         "(it installs them) or `apt-get install nginx libnginx-mod-http-brotli-static`")
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, Path(site).resolve(), port), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise NginxError(f"nginx -t refused the configuration:\n{checked.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise NginxError(f"nginx stopped at once:\n{process.stderr.read()}") from None
                time.sleep(0.05)
        else:
            raise NginxError("nginx did not answer within 10 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
