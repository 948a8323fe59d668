"""The methods tools/bench compares, in report order."""
from methods.article import Article
from methods.cni import Cni
from methods.floor import Floor
from methods.ip_batch import IpBatch
from methods.podnetc import Podnetc
from methods.pyroute2 import Pyroute2

ALL = (Podnetc, Article, IpBatch, Cni, Pyroute2, Floor)
NAMES = tuple(m.name for m in ALL)
