import pytest
from django.core.management.base import OutputWrapper

from benchmarks.generator import SMALL, Generator


class _Quiet(OutputWrapper):
    def write(self, *args, **kwargs):
        pass


@pytest.fixture
def generator(db):
    """The benchmark data generator with its people made and no cases yet; ``add`` puts cases in."""
    import io

    options = {**SMALL, "seed": 11, "batch": 500, "password": "not-used-by-these-tests"}
    gen = Generator(options, _Quiet(io.StringIO()))
    gen.people()
    return gen
