"""The cluster's one symmetric key, which every member holds: it encrypts USB bundles.

TLS needs no shared secret (each node has its own certificate), but a bundle carried on a USB
stick must be readable by any member and by nobody else, whoever carries it. The key is derived
from the CA's private key (HKDF-SHA256), so a founder has it without storing anything new, and a
founder restored from an exported CA key (``cluster import-ca``) has the same one. The founder
hands it to every machine it admits, inside the join answer (over the TLS connection pinned to
the CA), and the member keeps it in ``DATA/cluster/bundle.key`` (0600). A machine that joined
before this key existed gets it by joining again.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .pki import Cluster, ClusterError, write_private

KEY_FILE = "bundle.key"
_INFO = b"mishu bundle key v1"


def derive(ca_key: ec.EllipticCurvePrivateKey) -> bytes:
    secret = ca_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    return HKDF(hashes.SHA256(), 32, salt=None, info=_INFO).derive(secret)


def cluster_key(cluster: Cluster) -> bytes:
    """This member's copy of the cluster key (the founder derives it)."""
    if cluster.holds_ca_key:
        return derive(cluster.ca_key())
    try:
        key = base64.b64decode((cluster.directory / KEY_FILE).read_bytes(), validate=True)
    except (FileNotFoundError, ValueError):
        key = b""
    if len(key) != 32:
        raise ClusterError(key="cluster.no_cluster_key",
                           reason="this machine has no cluster key for bundles (it joined "
                                  "before bundles existed): join the cluster again")
    return key


def for_joiner(cluster: Cluster) -> str:
    """The key as the founder sends it in a join answer."""
    return base64.b64encode(cluster_key(cluster)).decode()


def keep(cluster: Cluster, encoded: object) -> None:
    """Store the key a founder sent at join; an answer without one (an older founder) is
    left out, and bundles say so when asked for."""
    if isinstance(encoded, str):
        write_private(cluster.directory / KEY_FILE, encoded.encode())
