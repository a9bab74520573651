"""The cluster's own certificate authority and the TLS contexts built from it.

``mishu cluster init`` makes a CA (ECDSA P-256) and this node's certificate; a joining node
gets its certificate signed by the CA through :mod:`sync.pairing`. Nodes then talk mutual TLS:
a server accepts only client certificates signed by the cluster CA, a client accepts only a
server certificate signed by it. Hostnames are not checked — addresses on an office LAN change
with DHCP — the CA signature is the identity. The cluster id is a hash of the CA certificate,
announced by discovery so nodes of other clusters are ignored before any connection.

Files live in ``DATA/cluster/``, created with mode 0600 (like everything in the data dir).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ssl
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from store.errors import StoreError
from store.platform import Platform

CLUSTER_DIR = "cluster"
CA_KEY, CA_CERT, NODE_KEY, NODE_CERT = "ca.key", "ca.pem", "node.key", "node.pem"
NODE_VALIDITY = dt.timedelta(days=3650)


class ClusterError(StoreError):
    """``reason`` is the English text; ``key`` names its translation where one exists."""

    key = "cluster.error"
    english = "{reason}"

    def __init__(self, *, key: str | None = None, **params: Any) -> None:
        if key is not None:
            self.key = key
        super().__init__(**params)


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with a file readable by its owner only (0600).

    A crash leaves the old file or the new one, never half a key or half an invite list.
    """
    platform = Platform.detect()
    platform.make_private_dir(path.parent)
    platform.write_atomically(path, data)


def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def issued_by(ca_cert: x509.Certificate, cert: x509.Certificate) -> bool:
    """True when ``cert`` carries a valid signature of this cluster's CA."""
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def cluster_id_of(ca_cert: x509.Certificate) -> str:
    return fingerprint(ca_cert)[:16]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mishu cluster"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def make_ca(label: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"mishu CA {label}")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5))
            .not_valid_after(_now() + dt.timedelta(days=7300))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_csr(node_name: str) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name(node_name))
           .sign(key, hashes.SHA256()))
    return key, csr.public_bytes(serialization.Encoding.PEM)


def sign_csr(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, csr_pem: bytes,
             node_name: str, validity: dt.timedelta = NODE_VALIDITY) -> x509.Certificate:
    csr = x509.load_pem_x509_csr(csr_pem)
    if not csr.is_signature_valid:
        raise ClusterError(reason="the certificate request is not validly signed")
    node_id = uuid.uuid4().hex
    return (x509.CertificateBuilder().subject_name(_name(node_name))
            .issuer_name(ca_cert.subject).public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5))
            .not_valid_after(_now() + validity)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(f"{node_id}.mishu")]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH,
                                                  x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))


@dataclass(frozen=True)
class Cluster:
    """This node's view of its cluster, loaded from ``DATA/cluster/``."""

    directory: Path
    ca_cert: x509.Certificate
    node_cert: x509.Certificate

    @property
    def cluster_id(self) -> str:
        return cluster_id_of(self.ca_cert)

    @property
    def ca_fingerprint(self) -> str:
        return fingerprint(self.ca_cert)

    @property
    def node_serial(self) -> int:
        return self.node_cert.serial_number

    @property
    def node_name(self) -> str:
        return str(self.node_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)

    @property
    def holds_ca_key(self) -> bool:
        return (self.directory / CA_KEY).exists()

    def ca_key(self) -> ec.EllipticCurvePrivateKey:
        key = serialization.load_pem_private_key((self.directory / CA_KEY).read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return key

    def node_key(self) -> ec.EllipticCurvePrivateKey:
        """This node's private key (its TLS key; it also signs what it writes to a hub)."""
        key = serialization.load_pem_private_key((self.directory / NODE_KEY).read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return key

    def server_context(self, require_client_cert: bool = True) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.directory / NODE_CERT, self.directory / NODE_KEY)
        context.load_verify_locations(cafile=str(self.directory / CA_CERT))
        context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_NONE
        return context

    def client_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.check_hostname = False  # LAN addresses change; the CA signature is the identity
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=str(self.directory / CA_CERT))
        context.load_cert_chain(self.directory / NODE_CERT, self.directory / NODE_KEY)
        return context


def cluster_dir(data_dir: Path) -> Path:
    return data_dir / CLUSTER_DIR


def load_cluster(data_dir: Path) -> Cluster | None:
    """The cluster this node belongs to, or None for a standalone node."""
    directory = cluster_dir(data_dir)
    if not (directory / NODE_CERT).exists():
        return None
    return Cluster(directory, x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes()),
                   x509.load_pem_x509_certificate((directory / NODE_CERT).read_bytes()))


def write_node_files(data_dir: Path, ca_cert: x509.Certificate, node_key: ec.EllipticCurvePrivateKey,
                     node_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey | None = None
                     ) -> Cluster:
    directory = cluster_dir(data_dir)
    if ca_key is not None:
        write_private(directory / CA_KEY, key_pem(ca_key))
    write_private(directory / NODE_KEY, key_pem(node_key))
    write_private(directory / CA_CERT, ca_cert.public_bytes(serialization.Encoding.PEM))
    write_private(directory / NODE_CERT, node_cert.public_bytes(serialization.Encoding.PEM))
    loaded = load_cluster(data_dir)
    assert loaded is not None
    return loaded


def init_cluster(data_dir: Path, node_name: str) -> Cluster:
    if load_cluster(data_dir) is not None:
        raise ClusterError(reason="this node already belongs to a cluster")
    ca_key, ca_cert = make_ca(node_name)
    node_key, csr = make_csr(node_name)
    node_cert = sign_csr(ca_key, ca_cert, csr, node_name)
    return write_node_files(data_dir, ca_cert, node_key, node_cert, ca_key)


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()
