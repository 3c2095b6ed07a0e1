"""A throw-away certificate authority and a server certificate signed by it, for receivers
that must speak https (production refuses plain http callbacks)."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.receiver import Receiver


@dataclass(frozen=True)
class ServerTls:
    """Where the files are: the CA bundle a client trusts, the server's chain and key."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_server_tls(directory: Path, hosts: list[str]) -> ServerTls:
    """A CA and a certificate for these host names (or IP addresses), written as PEM files.

    The files are world-readable: a container running as another user reads them."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("participatiewet test CA"))
          .issuer_name(_name("participatiewet test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0])).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    tls = ServerTls(directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    tls.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    for path in (tls.ca_file, tls.cert_file, tls.key_file):
        path.chmod(0o644)
    return tls


def receiver_app(receiver: Receiver) -> Starlette:
    """The receiver's POST /hooks, plus GET /received: what arrived, for a test elsewhere."""

    async def received(_: Request) -> JSONResponse:
        return JSONResponse([{"headers": r.headers, "body": r.body.decode()}
                             for r in receiver.received])

    async def hooks(request: Request) -> Response:
        # Connection: close, so no idle keep-alive connection is left when the server stops:
        # uvicorn would wait for its TLS close_notify, which an idle pooled client never
        # sends, for asyncio's SSL shutdown timeout (30 s) per test.
        response = await receiver.handle(request)
        response.headers["connection"] = "close"
        return response

    return Starlette(routes=[Route("/hooks", hooks, methods=["POST"]),
                             Route("/received", received, methods=["GET"])])


@asynccontextmanager
async def serving_tls(receiver: Receiver, tls: ServerTls,
                      host: str = "127.0.0.1") -> AsyncIterator[Receiver]:
    """The receiver over https on its port until the block ends."""
    import uvicorn  # here: the certificate helpers above need no server

    server = uvicorn.Server(uvicorn.Config(
        receiver_app(receiver), host=host, port=receiver.port, log_level="warning",
        lifespan="off", ssl_certfile=str(tls.cert_file), ssl_keyfile=str(tls.key_file)))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
