"""Moving the founder role: the CA key exported under a passphrase, imported on another member.

Only the node holding the CA key can invite and revoke, so losing that laptop would freeze the
cluster. ``mishu cluster export-ca FILE`` writes the CA certificate and its key encrypted with
AES-256-GCM under a key derived from the passphrase by scrypt (both from ``cryptography``);
the certificate's fingerprint is bound in as associated data. (PKCS#12 was the obvious format,
but ``cryptography`` protects its MAC with only 2 048 PBKDF2 rounds, a cheap oracle for guessing
the passphrase.) ``mishu cluster import-ca FILE`` on a member of the same cluster checks the
certificate is this cluster's CA and the key is its key, then makes that node a founder.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .pki import CA_KEY, Cluster, ClusterError, cert_pem, fingerprint, key_pem, write_private

FORMAT = "mishu-ca-backup-1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # ~128 MB and a fraction of a second per guess
MIN_PASSPHRASE = 8


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def export_ca(cluster: Cluster, passphrase: str) -> bytes:
    if not cluster.holds_ca_key:
        raise ClusterError(key="cluster.not_founder",
                           reason="this node does not hold the cluster's CA key")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ClusterError(key="cluster.passphrase_short", count=MIN_PASSPHRASE,
                           reason=f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, key_pem(cluster.ca_key()),
                                 cluster.ca_fingerprint.encode())
    return json.dumps({"format": FORMAT, "ca": cert_pem(cluster.ca_cert),
                       "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                               "salt": _b64(salt)},
                       "cipher": "AES-256-GCM", "nonce": _b64(nonce), "key": _b64(sealed)},
                      indent=1).encode()


def import_ca(cluster: Cluster, data: bytes, passphrase: str) -> None:
    """Make this node a founder of ``cluster`` with the CA key sealed in ``data``."""
    try:
        backup = json.loads(data)
        if backup["format"] != FORMAT:
            raise ValueError
        cert = x509.load_pem_x509_certificate(backup["ca"].encode())
        kdf = backup["kdf"]
        salt, nonce = base64.b64decode(kdf["salt"]), base64.b64decode(backup["nonce"])
        sealed = base64.b64decode(backup["key"])
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ClusterError(key="cluster.backup_damaged",
                           reason="this is not a mishu CA backup, or it is damaged") from None
    if fingerprint(cert) != cluster.ca_fingerprint:
        raise ClusterError(key="cluster.backup_other_cluster",
                           reason="this CA backup belongs to another cluster")
    if not (2**14 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ClusterError(key="cluster.backup_damaged",
                           reason="this is not a mishu CA backup, or it is damaged")
    try:
        pem = AESGCM(_derive(passphrase, salt, n, r, p)).decrypt(nonce, sealed,
                                                                cluster.ca_fingerprint.encode())
    except (InvalidTag, ValueError):
        raise ClusterError(key="cluster.backup_wrong_passphrase",
                           reason="wrong passphrase, or the backup is damaged") from None
    key = serialization.load_pem_private_key(pem, None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        raise ClusterError(key="cluster.backup_damaged",
                           reason="the key in this backup does not match its certificate")
    write_private(cluster.directory / CA_KEY, key_pem(key))
