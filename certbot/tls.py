#!/usr/bin/env python3
"""Installs certificates into the TLS directory nginx reads.

The directory contract with nginx: fullchain.pem, privkey.pem and tls.conf (the nginx
directives that use them plus the HSTS value, included by the nginx config). Files are replaced
by rename so nginx never reads half a certificate; tls.conf is written last because nginx's
certificate watcher (nginx/cert-watch.sh) reloads when it changes.

  tls.py self-signed <tls-dir> <domain>
      First start: a self-signed certificate for <domain>, unless a certificate is installed.
  tls.py deploy-hook
      certbot --deploy-hook: copies $RENEWED_LINEAGE's certificate into $TLS_DIR. HSTS is sent
      only for publicly trusted certificates, so never for LETSENCRYPT_STAGING=true or
      ACME_UNTRUSTED=true (a test ACME server).

Uses the `cryptography` package certbot itself depends on, so neither the certbot image nor a
Debian host needs the openssl CLI.
"""

import datetime
import ipaddress
import os
import sys

HSTS_VALUE = "max-age=63072000"


def _write(path: str, data: bytes, mode: int) -> None:
    temporary = f"{path}.tmp-{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with open(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def install(tls_dir: str, fullchain: bytes, private_key: bytes, trusted: bool) -> None:
    os.makedirs(tls_dir, exist_ok=True)
    # Group-readable: nginx runs as another user that shares the group.
    _write(os.path.join(tls_dir, "privkey.pem"), private_key, 0o640)
    _write(os.path.join(tls_dir, "fullchain.pem"), fullchain, 0o644)
    hsts = HSTS_VALUE if trusted else ""
    conf = (
        "# Written by certbot/tls.py; replaced on every certificate change.\n"
        f"ssl_certificate {tls_dir}/fullchain.pem;\n"
        f"ssl_certificate_key {tls_dir}/privkey.pem;\n"
        f'map $scheme $homeport_hsts {{ default "{hsts}"; }}\n'
    )
    _write(os.path.join(tls_dir, "tls.conf"), conf.encode(), 0o644)


def self_signed(tls_dir: str, domain: str) -> int:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    if os.path.exists(os.path.join(tls_dir, "tls.conf")):
        return 0
    key = ec.generate_private_key(ec.SECP256R1())
    names: list = [x509.DNSName(domain)]
    if domain != "localhost":
        names.append(x509.DNSName("localhost"))
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    install(
        tls_dir,
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        trusted=False,
    )
    print(f"tls: installed a self-signed certificate for {domain} in {tls_dir}")
    return 0


def deploy_hook() -> int:
    lineage = os.environ.get("RENEWED_LINEAGE")
    tls_dir = os.environ.get("TLS_DIR")
    if not lineage or not tls_dir:
        print("tls: RENEWED_LINEAGE and TLS_DIR must be set", file=sys.stderr)
        return 64
    with open(os.path.join(lineage, "fullchain.pem"), "rb") as handle:
        fullchain = handle.read()
    with open(os.path.join(lineage, "privkey.pem"), "rb") as handle:
        private_key = handle.read()
    untrusted = (
        os.environ.get("LETSENCRYPT_STAGING", "false") == "true"
        or os.environ.get("ACME_UNTRUSTED", "false") == "true"
    )
    install(tls_dir, fullchain, private_key, trusted=not untrusted)
    print(f"tls: installed the certificate from {lineage} into {tls_dir}")
    return 0


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "self-signed":
        return self_signed(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 2 and sys.argv[1] == "deploy-hook":
        return deploy_hook()
    print("usage: tls.py self-signed <tls-dir> <domain> | tls.py deploy-hook", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
