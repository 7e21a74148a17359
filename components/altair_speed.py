"""Two costs of Altair 6.3 (pinned in requirements.txt) that were most of a cold screen's chart time,
removed without changing a spec (tests/test_altair_speed.py compares them with Altair's own):

- `from_dict` builds its lookup table again on every call: a hash of each of ~570 schema classes
  (one `json.dumps` each), about 13 ms a call on the 2-core machine, and every encoding channel given
  as a string ("Serie:N") goes through it. The table depends only on the classes, so it is made once
  here (Altair's own open change for this, vega/altair#3547, does the same).
- every `.properties()`, `layer` and `+` deep-copies the whole chart, walking each object's ~30
  unset (`Undefined`) options one call at a time inside a context manager; the copy below skips the
  unset options and the context manager when validation is off already.
"""

from __future__ import annotations

import threading

from altair.utils import schemapi

_converters: dict[object, schemapi._FromDict] = {}
_lock = threading.Lock()


def _converter(cls: type) -> schemapi._FromDict:
    # keyed on the classmethod's function: Altair's Vega-Lite classes share one (`VegaLiteSchema`'s)
    owner = getattr(cls._default_wrapper_classes, "__func__", cls)
    converter = _converters.get(owner)
    if converter is None:
        with _lock:
            converter = _converters.get(owner)
            if converter is None:
                converter = _converters[owner] = schemapi._FromDict(cls._default_wrapper_classes())
    return converter


def _from_dict(cls, dct, validate: bool = True):
    if validate:
        cls.validate(dct)
    return _converter(cls).from_dict(dct, cls)


_Undefined = schemapi.Undefined
_SchemaBase = schemapi.SchemaBase


def _deep_copy(obj, by_ref):
    """Altair's `_deep_copy`, with the same result."""
    if obj is _Undefined:
        return obj
    if isinstance(obj, _SchemaBase):
        if copier := getattr(obj, "__deepcopy__", None):
            with schemapi.debug_mode(False):
                return copier(obj)
        args = [_deep_copy(arg, by_ref) for arg in obj._args]
        kwds = {k: (v if v is _Undefined or k in by_ref else _deep_copy(v, by_ref)) for k, v in obj._kwds.items()}
        if not schemapi.DEBUG_MODE:
            return obj.__class__(*args, **kwds)
        with schemapi.debug_mode(False):
            return obj.__class__(*args, **kwds)
    if isinstance(obj, list):
        return [_deep_copy(v, by_ref) for v in obj]
    if isinstance(obj, dict):
        return {k: (v if k in by_ref else _deep_copy(v, by_ref)) for k, v in obj.items()}
    return obj


_ORIGINAL = {"from_dict": schemapi.SchemaBase.__dict__["from_dict"], "_deep_copy": schemapi._deep_copy}


def install() -> None:
    """Use the two replacements above (idempotent)."""
    schemapi.SchemaBase.from_dict = classmethod(_from_dict)
    schemapi._deep_copy = _deep_copy


def uninstall() -> None:
    """Altair's own again (a test compares the two)."""
    schemapi.SchemaBase.from_dict = _ORIGINAL["from_dict"]
    schemapi._deep_copy = _ORIGINAL["_deep_copy"]
