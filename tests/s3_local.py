"""A real S3 API on the loopback for the tests: moto's server mode (HTTP on 127.0.0.1, a free port),
started by the test session itself; each test gets its own new bucket and the service's own S3
options (commun/stockage.py, the same as with S3_BUCKET set), so that nothing leaves the machine."""

import logging
import socket
import uuid
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

from commun.stockage import stockage_s3

REGION = "eu-west-3"
CLE, SECRET = "cle-de-test", "secret-de-test"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeurS3:
    def __init__(self):
        self.port = port_libre()
        self.url = f"http://127.0.0.1:{self.port}"
        self.serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    def __enter__(self):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
        self.serveur.start()
        return self

    def __exit__(self, *exc):
        self.serveur.stop()

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, region_name=REGION, aws_access_key_id=CLE, aws_secret_access_key=SECRET)

    def nouveau_compartiment(self) -> str:
        nom = f"adultes-relais-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=nom, CreateBucketConfiguration={"LocationConstraint": REGION})
        return nom

    def reglage(self, compartiment: str) -> dict:
        """The `STORAGES["default"]` entry the settings build from S3_* variables, for this server."""
        return stockage_s3(bucket=compartiment, endpoint_url=self.url, region=REGION, access_key=CLE, secret_key=SECRET)

    def objets(self, compartiment: str) -> dict[str, bytes]:
        """Every object of the bucket, read with a plain S3 client (not through the service)."""
        client = self.client()
        cles = [o["Key"] for o in client.list_objects_v2(Bucket=compartiment).get("Contents", [])]
        return {cle: client.get_object(Bucket=compartiment, Key=cle)["Body"].read() for cle in cles}


@dataclass(frozen=True)
class Compartiment:
    """The bucket of one test, seen from outside the service."""

    nom: str
    serveur: ServeurS3

    def objets(self) -> dict[str, bytes]:
        return self.serveur.objets(self.nom)

    def ecrire(self, cle: str, contenu: bytes):
        self.serveur.client().put_object(Bucket=self.nom, Key=cle, Body=contenu)

    def acl(self, cle: str) -> dict:
        return self.serveur.client().get_object_acl(Bucket=self.nom, Key=cle)
