"""Static files as deployed: WhiteNoise's compressed manifest storage, compressing only the files pages
refer to.

`collectstatic` writes each file twice (its original name and its fingerprinted name, `dsfr.min.3f79….css`)
and WhiteNoise compresses both, in gzip and Brotli at its highest level: most of the command's time (the
DSFR alone ships 17 MB of style sheets). Pages only ever refer to the fingerprinted names (`{% static %}`
with the manifest), so only those are compressed; an original name is still served, uncompressed.
"""

import re

from whitenoise.storage import CompressedManifestStaticFilesStorage

EMPREINTE = re.compile(r"\.[0-9a-f]{12}(\.[^./]+)?$")


class StockageStatique(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths):
        return super().compress_files([chemin for chemin in paths if EMPREINTE.search(chemin)])
