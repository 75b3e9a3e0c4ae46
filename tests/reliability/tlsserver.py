"""The fake status server behind TLS with a fresh self-signed certificate no client trusts."""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
from pathlib import Path

from tests.fakeserver import FakeServer


class TLSFakeServer(FakeServer):
    """The same server behind TLS with a fresh self-signed certificate: verification must fail."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as folder:
            cert, key = _self_signed(Path(folder))
            context.load_cert_chain(cert, key)
        # The handshake runs in accept(): a client that rejects the certificate makes it raise
        # an OSError there, which socketserver drops quietly.
        self.socket = context.wrap_socket(self.socket, server_side=True)

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
